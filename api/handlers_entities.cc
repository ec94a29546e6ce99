// Entity views and the searches a supervisor needs (issue 7, SPEC §5):
// products, suppliers, outlets and households from the entity projection,
// live or as of any seq; searches paginated by id; sales of a product or an
// outlet in a business-time range, paginated by seq, with totals.
//
// Live reads wait (briefly) for the projections to fold the records
// committed before the request, like /v1/stats; as_of folds a private copy
// from the nearest snapshot on this worker thread. Every answer says the
// seq its state reflects ("as_of").
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/entity_json.h"
#include "api/handlers.h"
#include "api/projection_wait.h"
#include "api/read_point.h"
#include "api/response.h"
#include "api/scope.h"
#include "ledger/entity_state.h"
#include "ledger/event_types.h"
#include "ledger/time.h"
#include "projections/decoded_record.h"

namespace fupin::api {
namespace {

namespace bj = boost::json;
using projections::EntityCatalog;

// A sales listing examines at most this many records naming the entity per
// request, so a narrow time range over a busy counter cannot make one
// request walk its whole history; `next` says where to continue.
inline constexpr uint64_t kMaxSalesExamined = 10'000;
// Records naming the entity read per step of the sales scan.
inline constexpr std::size_t kSalesChunk = 256;
// Refunds looked up per sale for the totals; a sale is refunded a few
// times at most (validation keeps refunds within the sale's amount).
inline constexpr std::size_t kMaxRefundsPerSale = 1000;

// The seq the catalog reflects (its position - 1), null before any fold.
bj::value AsOfValue(const EntityCatalog& catalog) {
  if (catalog.position == 0) return nullptr;
  return static_cast<int64_t>(catalog.position - 1);
}

// Runs `read` on the catalog as of `as_of`, or on the live one after
// waiting for the projections to catch up.
Status ReadCatalog(const Call& call, std::optional<uint64_t> as_of,
                   const std::function<void(const EntityCatalog&)>& read) {
  if (call.state.projections == nullptr) {
    return Status(ErrorCode::kUnavailable, "the entity projection is not running");
  }
  if (as_of) {
    FUPIN_ASSIGN_OR_RETURN(std::unique_ptr<projections::EntityProjection> past,
                           call.state.projections->EntitiesAt(*as_of));
    read(past->catalog());
    return Status::Ok();
  }
  WaitForProjections(call.state);
  call.state.projections->ReadEntities(read);
  return Status::Ok();
}

// One entity view: 404 when the catalog has no `id` as of the read, 403
// when its region is outside the scope.
template <typename Map, typename ToJson, typename RegionOf>
Response EntityView(const Call& call, std::string_view kind,
                    const Map& (*map)(const EntityCatalog&), ToJson to_json, RegionOf region_of) {
  if (Status params = CheckParams(call.target, {"as_of"}); !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  const std::string& id = call.target.segments[2];
  Result<std::optional<uint64_t>> as_of = AsOfParam(call.target, call.state.ledger);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());
  ReadScope scope(call.principal);
  Status outcome = Status::Ok();
  std::string body;
  Status read = ReadCatalog(call, *as_of, [&](const EntityCatalog& catalog) {
    const Map& entities = map(catalog);
    auto found = entities.find(id);
    if (found == entities.end()) {
      std::string when = *as_of ? " as of seq " + std::to_string(**as_of) : std::string();
      outcome = Status(ErrorCode::kNotFound, "no " + std::string(kind) + " " + id + when);
      return;
    }
    outcome = CheckRegions(scope, kind, id, {region_of(found->second)}, catalog);
    if (!outcome.ok()) return;
    bj::object object = to_json(id, found->second);
    object["as_of"] = AsOfValue(catalog);
    body = bj::serialize(object);
  });
  if (!read.ok()) return ProblemResponse(call.request, read);
  if (!outcome.ok()) return ProblemResponse(call.request, outcome);
  return JsonResponse(call.request, http::status::ok, std::move(body));
}

// A region filter of a search: a 6-digit code inside the token's scope.
Result<std::string> RegionFilter(const Call& call, const ReadScope& scope,
                                 std::string_view parameter) {
  std::optional<std::string_view> region = Param(call.target, parameter);
  if (!region) return std::string();
  if (!IsRegionCodeFormat(*region)) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"" + std::string(parameter) + "\": not a 6-digit region code");
  }
  if (Status covered = CheckFilterRegion(scope, parameter, *region); !covered.ok()) {
    return covered;
  }
  return std::string(*region);
}

// One page of a search over `map` from id `from` (inclusive): up to
// `limit` matches and `next`, the id of the following match or null.
template <typename Map, typename Matches, typename ToJson>
void SearchPage(const Map& map, const std::string& from, std::size_t limit, Matches matches,
                ToJson to_json, bj::array& items, bj::value& next) {
  next = nullptr;
  for (auto it = map.lower_bound(from); it != map.end(); ++it) {
    if (!matches(it->second)) continue;
    if (items.size() == limit) {
      next = it->first;
      return;
    }
    items.push_back(to_json(it->first, it->second));
  }
}

// The common parameters of the searches: from (an id), limit, as_of.
struct SearchParams {
  std::string from;
  std::size_t limit = 0;
  std::optional<uint64_t> as_of;
};

Result<SearchParams> ReadSearchParams(const Call& call) {
  SearchParams params;
  params.from = std::string(Param(call.target, "from").value_or(""));
  FUPIN_ASSIGN_OR_RETURN(std::size_t limit, PageLimit(call.target));
  params.limit = limit;
  FUPIN_ASSIGN_OR_RETURN(std::optional<uint64_t> as_of, AsOfParam(call.target, call.state.ledger));
  params.as_of = as_of;
  return params;
}

// Runs a search over the catalog and answers {"<items>":[…],"next","as_of"}.
template <typename Search>
Response SearchResponse(const Call& call, const SearchParams& params, std::string_view items_name,
                        Search search) {
  std::string body;
  Status read = ReadCatalog(call, params.as_of, [&](const EntityCatalog& catalog) {
    bj::array items;
    bj::value next;
    search(catalog, items, next);
    bj::object out;
    out[items_name] = std::move(items);
    out["next"] = std::move(next);
    out["as_of"] = AsOfValue(catalog);
    body = bj::serialize(out);
  });
  if (!read.ok()) return ProblemResponse(call.request, read);
  return JsonResponse(call.request, http::status::ok, std::move(body));
}

// A business-time bound of the sales listing.
Result<std::optional<int64_t>> TimeParam(const Target& target, std::string_view name) {
  std::optional<std::string_view> text = Param(target, name);
  if (!text) return std::optional<int64_t>();
  Result<int64_t> millis = ParseRfc3339Millis(*text);
  if (!millis.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "query parameter \"" + std::string(name) +
                      "\": not an RFC 3339 time with offset (2020-09-01T00:00:00+08:00)");
  }
  return std::optional<int64_t>(*millis);
}

// What has been refunded of `sale_id` in records before `end`.
Result<int64_t> RefundedOf(const Ledger& ledger, projections::RecordDecoder& decoder,
                           const std::string& sale_id, uint64_t end) {
  FUPIN_ASSIGN_OR_RETURN(std::vector<uint64_t> seqs,
                         ledger.ReferencingSeqs("sale:" + sale_id, 0, kMaxRefundsPerSale));
  int64_t refunded = 0;
  projections::DecodedRecord decoded;
  for (uint64_t seq : seqs) {
    if (seq >= end) break;
    FUPIN_ASSIGN_OR_RETURN(StoredRecord record, ledger.ReadRecord(seq));
    if (Status status = decoder.Decode(record.leaf_data, decoded); !status.ok()) return status;
    if (const auto* refund = std::get_if<SaleRefunded>(&decoded.body)) {
      refunded += refund->amount_fen;
    }
  }
  return refunded;
}

}  // namespace

Response GetProduct(const Call& call) {
  return EntityView(
      call, "product", +[](const EntityCatalog& c) -> const auto& { return c.products; },
      &ProductJson, [](const projections::ProductEntity& e) { return e.origin_region; });
}

Response GetSupplier(const Call& call) {
  return EntityView(
      call, "supplier", +[](const EntityCatalog& c) -> const auto& { return c.suppliers; },
      &SupplierJson, [](const projections::SupplierEntity& e) { return e.region; });
}

Response GetOutlet(const Call& call) {
  return EntityView(
      call, "outlet", +[](const EntityCatalog& c) -> const auto& { return c.outlets; }, &OutletJson,
      [](const projections::OutletEntity& e) { return e.region; });
}

Response GetHousehold(const Call& call) {
  return EntityView(
      call, "household", +[](const EntityCatalog& c) -> const auto& { return c.households; },
      &HouseholdJson, [](const projections::HouseholdEntity& e) { return e.region; });
}

// county (a region code: products whose origin lies in it), category
// (exact), status=certified|revoked, from (a product id), limit, as_of.
Response SearchProducts(const Call& call) {
  if (Status params =
          CheckParams(call.target, {"county", "category", "status", "from", "limit", "as_of"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  ReadScope scope(call.principal);
  Result<std::string> county = RegionFilter(call, scope, "county");
  if (!county.ok()) return ProblemResponse(call.request, county.status());
  std::string category(Param(call.target, "category").value_or(""));
  std::optional<bool> revoked;
  if (std::optional<std::string_view> status = Param(call.target, "status")) {
    if (*status == "certified") {
      revoked = false;
    } else if (*status == "revoked") {
      revoked = true;
    } else {
      return ProblemResponse(call.request,
                             Status(ErrorCode::kInvalidArgument,
                                    "query parameter \"status\": must be certified or revoked"));
    }
  }
  Result<SearchParams> params = ReadSearchParams(call);
  if (!params.ok()) return ProblemResponse(call.request, params.status());
  return SearchResponse(
      call, *params, "products",
      [&](const EntityCatalog& catalog, bj::array& items, bj::value& next) {
        SearchPage(
            catalog.products, params->from, params->limit,
            [&](const projections::ProductEntity& p) {
              return (county->empty() || RegionCovers(*county, p.origin_region)) &&
                     (category.empty() || p.category == category) &&
                     (!revoked || p.revoked == *revoked) && scope.Covers(p.origin_region, catalog);
            },
            &ProductJson, items, next);
      });
}

// region (suppliers in it or below), from (a supplier id), limit, as_of.
Response SearchSuppliers(const Call& call) {
  if (Status params = CheckParams(call.target, {"region", "from", "limit", "as_of"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  ReadScope scope(call.principal);
  Result<std::string> region = RegionFilter(call, scope, "region");
  if (!region.ok()) return ProblemResponse(call.request, region.status());
  Result<SearchParams> params = ReadSearchParams(call);
  if (!params.ok()) return ProblemResponse(call.request, params.status());
  return SearchResponse(call, *params, "suppliers",
                        [&](const EntityCatalog& catalog, bj::array& items, bj::value& next) {
                          SearchPage(
                              catalog.suppliers, params->from, params->limit,
                              [&](const projections::SupplierEntity& s) {
                                return (region->empty() || RegionCovers(*region, s.region)) &&
                                       scope.Covers(s.region, catalog);
                              },
                              &SupplierJson, items, next);
                        });
}

// region (outlets in it or below), kind (counter, pavilion, zone_online,
// zone_offline, livestream_base), from (an outlet id), limit, as_of.
Response SearchOutlets(const Call& call) {
  if (Status params = CheckParams(call.target, {"region", "kind", "from", "limit", "as_of"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  ReadScope scope(call.principal);
  Result<std::string> region = RegionFilter(call, scope, "region");
  if (!region.ok()) return ProblemResponse(call.request, region.status());
  std::optional<OutletKind> kind;
  if (std::optional<std::string_view> name = Param(call.target, "kind")) {
    for (OutletKind k : {OutletKind::kCounter, OutletKind::kPavilion, OutletKind::kZoneOnline,
                         OutletKind::kZoneOffline, OutletKind::kLivestreamBase}) {
      if (OutletKindName(k) == *name) kind = k;
    }
    if (!kind) {
      return ProblemResponse(
          call.request, Status(ErrorCode::kInvalidArgument,
                               "query parameter \"kind\": must be counter, pavilion, zone_online, "
                               "zone_offline or livestream_base"));
    }
  }
  Result<SearchParams> params = ReadSearchParams(call);
  if (!params.ok()) return ProblemResponse(call.request, params.status());
  return SearchResponse(call, *params, "outlets",
                        [&](const EntityCatalog& catalog, bj::array& items, bj::value& next) {
                          SearchPage(
                              catalog.outlets, params->from, params->limit,
                              [&](const projections::OutletEntity& o) {
                                return (region->empty() || RegionCovers(*region, o.region)) &&
                                       (!kind || o.kind == *kind) &&
                                       scope.Covers(o.region, catalog);
                              },
                              &OutletJson, items, next);
                        });
}

// product=ID or outlet=ID (exactly one), from_time (inclusive) and to_time
// (exclusive) on the sale's occurred_at, from (a seq, inclusive), limit,
// as_of. The sale.recorded records of the entity in log order with totals
// over the page: count, amount_fen, and refunded_fen (refunds of those
// sales recorded up to the read point). At most kMaxSalesExamined records
// naming the entity are examined per request; `next` is the seq to
// continue from, or null when no record naming the entity is left.
Response ListSales(const Call& call) {
  if (Status params = CheckParams(
          call.target, {"product", "outlet", "from_time", "to_time", "from", "limit", "as_of"});
      !params.ok()) {
    return ProblemResponse(call.request, params);
  }
  std::optional<std::string_view> product = Param(call.target, "product");
  std::optional<std::string_view> outlet = Param(call.target, "outlet");
  if (product.has_value() == outlet.has_value()) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument,
                                  "exactly one of the query parameters \"product\" and \"outlet\" "
                                  "is required"));
  }
  const std::string kind = product ? "product" : "outlet";
  const std::string id(product ? *product : *outlet);
  if (!IsValidEntityId(id)) {
    return ProblemResponse(
        call.request,
        Status(ErrorCode::kInvalidArgument,
               "query parameter \"" + kind + "\": must be 1 to 64 characters of [A-Za-z0-9._-]"));
  }
  Result<std::optional<int64_t>> from_time = TimeParam(call.target, "from_time");
  if (!from_time.ok()) return ProblemResponse(call.request, from_time.status());
  Result<std::optional<int64_t>> to_time = TimeParam(call.target, "to_time");
  if (!to_time.ok()) return ProblemResponse(call.request, to_time.status());
  if (*from_time && *to_time && **from_time > **to_time) {
    return ProblemResponse(call.request,
                           Status(ErrorCode::kInvalidArgument, "from_time is after to_time"));
  }
  Result<uint64_t> from = CountParam(call.target, "from", 0);
  if (!from.ok()) return ProblemResponse(call.request, from.status());
  Result<std::size_t> limit = PageLimit(call.target);
  if (!limit.ok()) return ProblemResponse(call.request, limit.status());
  const Ledger& ledger = call.state.ledger;
  Result<std::optional<uint64_t>> as_of = AsOfParam(call.target, ledger);
  if (!as_of.ok()) return ProblemResponse(call.request, as_of.status());
  const uint64_t end = *as_of ? **as_of + 1 : ledger.tree_size();

  const std::string entity = kind + ":" + id;
  if (Status scope = CheckNamedEntityInScope(call, kind, id); !scope.ok()) {
    return ProblemResponse(call.request, scope);
  }

  projections::RecordDecoder decoder;
  projections::DecodedRecord decoded;
  std::vector<StoredRecord> sales;
  std::vector<std::string> sale_ids;
  int64_t amount = 0;
  uint64_t examined = 0;
  uint64_t seq = *from;
  bool exhausted = false;
  while (sales.size() < *limit && examined < kMaxSalesExamined && !exhausted) {
    std::size_t budget =
        static_cast<std::size_t>(std::min<uint64_t>(kSalesChunk, kMaxSalesExamined - examined));
    Result<std::vector<uint64_t>> seqs = ledger.ReferencingSeqs(entity, seq, budget);
    if (!seqs.ok()) return ProblemResponse(call.request, seqs.status());
    if (seqs->size() < budget) exhausted = true;
    for (uint64_t at : *seqs) {
      if (at >= end) {
        exhausted = true;
        break;
      }
      seq = at + 1;
      ++examined;
      Result<StoredRecord> record = ledger.ReadRecord(at);
      if (!record.ok()) return ProblemResponse(call.request, record.status());
      if (Status status = decoder.Decode(record->leaf_data, decoded); !status.ok()) {
        return ProblemResponse(call.request, status);
      }
      const auto* sale = std::get_if<SaleRecorded>(&decoded.body);
      if (sale == nullptr) continue;
      if (*from_time && decoded.occurred_at_ms < **from_time) continue;
      if (*to_time && decoded.occurred_at_ms >= **to_time) continue;
      amount += sale->amount_fen;
      sale_ids.push_back(sale->sale_id);
      sales.push_back(std::move(record).value());
      if (sales.size() == *limit) break;
    }
  }
  std::optional<uint64_t> next;
  if (!exhausted || sales.size() == *limit) {
    Result<std::vector<uint64_t>> more = ledger.ReferencingSeqs(entity, seq, 1);
    if (!more.ok()) return ProblemResponse(call.request, more.status());
    if (!more->empty() && more->front() < end) next = seq;
  }
  int64_t refunded = 0;
  for (const std::string& sale_id : sale_ids) {
    Result<int64_t> of_sale = RefundedOf(ledger, decoder, sale_id, end);
    if (!of_sale.ok()) return ProblemResponse(call.request, of_sale.status());
    refunded += *of_sale;
  }

  std::string out = "{\"entity\":" + bj::serialize(bj::string(entity)) + ",\"records\":[";
  for (std::size_t i = 0; i < sales.size(); ++i) {
    if (i > 0) out += ',';
    out += RecordJson(sales[i]);
  }
  out += "],\"totals\":";
  out += bj::serialize(bj::object{{"count", static_cast<int64_t>(sales.size())},
                                  {"amount_fen", amount},
                                  {"refunded_fen", refunded}});
  out += ",\"examined\":" + std::to_string(examined);
  out += ",\"next\":";
  out += next ? std::to_string(*next) : "null";
  out += '}';
  return JsonResponse(call.request, http::status::ok, std::move(out));
}

}  // namespace fupin::api
