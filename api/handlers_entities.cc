// Placeholder while the entity handlers are written.
#include "api/handlers.h"
#include "api/response.h"

namespace fupin::api {
namespace {
Response Pending(const Call& call) {
  return ProblemResponse(call.request, Status(ErrorCode::kUnavailable, "not built yet"));
}
}  // namespace

Response GetProduct(const Call& call) { return Pending(call); }
Response GetSupplier(const Call& call) { return Pending(call); }
Response GetOutlet(const Call& call) { return Pending(call); }
Response GetHousehold(const Call& call) { return Pending(call); }
Response SearchProducts(const Call& call) { return Pending(call); }
Response SearchSuppliers(const Call& call) { return Pending(call); }
Response SearchOutlets(const Call& call) { return Pending(call); }
Response ListSales(const Call& call) { return Pending(call); }

}  // namespace fupin::api
