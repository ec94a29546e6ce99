// State checks of the trading types: outlet.*, promotion.held, sale.*,
// benefit.paid.
#include <string>

#include "ledger/validation_internal.h"

namespace fupin::internal {

Status CheckState(const OutletDeployed& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireAbsent(view, EntityKind::kOutlet, e.outlet_id, "body.outlet_id"));
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  out.scope_regions.push_back(e.region);
  OutletState outlet;
  outlet.region = e.region;
  outlet.kind = std::string(OutletKindName(e.kind));
  outlet.closed = false;
  out.writes.push_back({EntityKind::kOutlet, e.outlet_id, std::move(outlet)});
  return Status::Ok();
}

Status CheckState(const OutletClosed& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(
      const OutletState* outlet_found,
      RequireEntity<OutletState>(view, EntityKind::kOutlet, e.outlet_id, "body.outlet_id"));
  const OutletState& outlet = *outlet_found;
  if (outlet.closed) {
    return Status(ErrorCode::kInvalidField,
                  "body.outlet_id: outlet \"" + e.outlet_id + "\" is already closed");
  }
  out.scope_regions.push_back(outlet.region);
  OutletState updated = outlet;
  updated.closed = true;
  out.writes.push_back({EntityKind::kOutlet, e.outlet_id, std::move(updated)});
  return Status::Ok();
}

Status CheckState(const PromotionHeld& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(
      RequireAbsent(view, EntityKind::kPromotion, e.promotion_id, "body.promotion_id"));
  FUPIN_RETURN_IF_ERROR(RequireRegion(view, e.region, "body.region"));
  out.scope_regions.push_back(e.region);
  out.writes.push_back({EntityKind::kPromotion, e.promotion_id, PromotionState{e.region}});
  return Status::Ok();
}

Status CheckState(const SaleRecorded& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_RETURN_IF_ERROR(RequireAbsent(view, EntityKind::kSale, e.sale_id, "body.sale_id"));
  // A revoked or expired product and a closed outlet are not rejections:
  // the sale happened, is recorded, and rules FP-01/FP-02 flag it (SPEC
  // §2.5). Only a product or outlet never recorded is.
  FUPIN_RETURN_IF_ERROR(
      RequireEntity<ProductState>(view, EntityKind::kProduct, e.product_id, "body.product_id")
          .status());
  FUPIN_ASSIGN_OR_RETURN(
      const OutletState* outlet_found,
      RequireEntity<OutletState>(view, EntityKind::kOutlet, e.outlet_id, "body.outlet_id"));
  const OutletState& outlet = *outlet_found;
  out.scope_regions.push_back(outlet.region);
  SaleState sale;
  sale.outlet_id = e.outlet_id;
  sale.amount_fen = e.amount_fen;
  sale.refunded_fen = 0;
  out.writes.push_back({EntityKind::kSale, e.sale_id, std::move(sale)});
  return Status::Ok();
}

Status CheckState(const SaleRefunded& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(
      const SaleState* sale_found,
      RequireEntity<SaleState>(view, EntityKind::kSale, e.sale_id, "body.sale_id"));
  const SaleState& sale = *sale_found;
  // The refund joins its sale's stream (outlet:ID), so the body must name
  // the sale's own outlet.
  if (sale.outlet_id != e.outlet_id) {
    return Status(ErrorCode::kInvalidField, "body.outlet_id: sale \"" + e.sale_id +
                                                "\" was recorded at outlet \"" + sale.outlet_id +
                                                "\"");
  }
  FUPIN_ASSIGN_OR_RETURN(
      const OutletState* outlet_found,
      RequireEntity<OutletState>(view, EntityKind::kOutlet, e.outlet_id, "body.outlet_id"));
  const OutletState& outlet = *outlet_found;
  // What is left of the sale; refunded_fen never exceeds amount_fen.
  const int64_t left = sale.amount_fen - sale.refunded_fen;
  if (e.amount_fen > left) {
    return Status(ErrorCode::kRefundExceedsSale, "body.amount_fen: refund of " +
                                                     std::to_string(e.amount_fen) +
                                                     " fen exceeds the " + std::to_string(left) +
                                                     " fen left of sale \"" + e.sale_id + "\"");
  }
  out.scope_regions.push_back(outlet.region);
  SaleState updated = sale;
  updated.refunded_fen += e.amount_fen;
  out.writes.push_back({EntityKind::kSale, e.sale_id, std::move(updated)});
  return Status::Ok();
}

Status CheckState(const BenefitPaid& e, const LedgerView& view, StateCheckOutcome& out) {
  FUPIN_ASSIGN_OR_RETURN(
      const SupplierState* supplier_found,
      RequireEntity<SupplierState>(view, EntityKind::kSupplier, e.supplier_id, "body.supplier_id"));
  const SupplierState& supplier = *supplier_found;
  out.scope_regions.push_back(supplier.region);
  out.paying_supplier = e.supplier_id;
  return Status::Ok();
}

}  // namespace fupin::internal
