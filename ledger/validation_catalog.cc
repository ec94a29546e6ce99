// State checks of the certification types: supplier.registered,
// household.registered, product.*.
#include <string>

#include "ledger/validation_internal.h"

namespace fupin::internal {

Status CheckState(const SupplierRegistered& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(
      RequireAbsent(view, EntityKind::kSupplier, e.supplier_id, "body.supplier_id"));
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  out.scope_regions.push_back(e.region);
  out.writes.push_back({EntityKind::kSupplier, e.supplier_id, SupplierState{e.region}});
  return Status::Ok();
}

Status CheckState(const HouseholdRegistered& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  // Decision: household.registered is the only household event, so
  // registering a known household again updates its members and status.
  // Its region stays fixed: moving a household would silently move its
  // coverage between the statistics of two regions.
  FUPIN_ASSIGN_OR_RETURN(const HouseholdState* existing,
                         FindEntity<HouseholdState>(view, EntityKind::kHousehold, e.household_id));
  if (existing != nullptr && existing->region != e.region) {
    return Status(ErrorCode::kInvalidField, "body.region: household \"" + e.household_id +
                                                "\" is registered in " + existing->region +
                                                "; its region cannot change");
  }
  out.scope_regions.push_back(e.region);
  out.writes.push_back({EntityKind::kHousehold, e.household_id, HouseholdState{e.region}});
  return Status::Ok();
}

Status CheckState(const ProductCertified& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(
      RequireEntity<SupplierState>(view, EntityKind::kSupplier, e.supplier_id, "body.supplier_id")
          .status());
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.origin_region, "body.origin_region"));
  // Decision: certifying a known product again is a renewal (new validity,
  // price or benefit claim) and lifts an earlier revocation; it must keep
  // the supplier, since a product's sales and benefit claims belong to it.
  FUPIN_ASSIGN_OR_RETURN(const ProductState* existing,
                         FindEntity<ProductState>(view, EntityKind::kProduct, e.product_id));
  if (existing != nullptr && existing->supplier_id != e.supplier_id) {
    return Status(ErrorCode::kInvalidField,
                  "body.supplier_id: product \"" + e.product_id + "\" belongs to supplier \"" +
                      existing->supplier_id + "\"; a renewal cannot change it");
  }
  out.scope_regions.push_back(e.origin_region);
  ProductState product;
  product.supplier_id = e.supplier_id;
  product.origin_region = e.origin_region;
  product.revoked = false;
  out.writes.push_back({EntityKind::kProduct, e.product_id, std::move(product)});
  return Status::Ok();
}

Status CheckState(const ProductRepriced& e, const LedgerView& view, StateCheckOutcome& out) {
  // The reference price lives in projections, not in the compact state, so
  // repricing writes nothing here; it may reprice a revoked product (a
  // fact, harmless to record).
  FUPIN_ASSIGN_OR_RETURN(
      const ProductState* product_found,
      RequireEntity<ProductState>(view, EntityKind::kProduct, e.product_id, "body.product_id"));
  const ProductState& product = *product_found;
  out.scope_regions.push_back(product.origin_region);
  return Status::Ok();
}

Status CheckState(const ProductRevoked& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(
      const ProductState* product_found,
      RequireEntity<ProductState>(view, EntityKind::kProduct, e.product_id, "body.product_id"));
  const ProductState& product = *product_found;
  if (product.revoked) {
    return Status(ErrorCode::kInvalidField,
                  "body.product_id: product \"" + e.product_id + "\" is already revoked");
  }
  out.scope_regions.push_back(product.origin_region);
  ProductState updated = product;
  updated.revoked = true;
  out.writes.push_back({EntityKind::kProduct, e.product_id, std::move(updated)});
  return Status::Ok();
}

}  // namespace fupin::internal
