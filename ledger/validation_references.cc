// The one place that lists, per event type, the entities an event names.
// They feed the reference index that audit trails read (SPEC §2.5: "the
// audit trail of any entity is every event that names it"). The event's own
// stream entity is added by ValidateEvent.
#include <string>

#include "ledger/validation_internal.h"

namespace fupin::internal {
namespace {

class ReferenceList {
 public:
  explicit ReferenceList(std::vector<std::string>& out) : out_(out) {}
  void Add(std::string_view kind, std::string_view id) {
    std::string ref;
    ref.reserve(kind.size() + 1 + id.size());
    ref += kind;
    ref += ':';
    ref += id;
    out_.push_back(std::move(ref));
  }
  void Add(EntityKind kind, std::string_view id) { Add(EntityKindName(kind), id); }
  // Subjects of flags are already "kind:id".
  void AddRaw(std::string_view ref) { out_.emplace_back(ref); }

 private:
  std::vector<std::string>& out_;
};

using K = EntityKind;

// Decision: a key's scope regions are not references (a province-wide key
// would put itself in every region's trail); the supplier of a supplier
// key is, since it names who pays.
void Add(const KeyRegistered& e, ReferenceList& r) {
  r.Add(K::kKey, e.key_id);
  if (e.supplier_id) r.Add(K::kSupplier, *e.supplier_id);
}
void Add(const KeyRevoked& e, ReferenceList& r) { r.Add(K::kKey, e.key_id); }
void Add(const RegionDefined& e, ReferenceList& r) {
  r.Add(K::kRegion, e.code);
  if (!e.parent.empty()) r.Add(K::kRegion, e.parent);
}
void Add(const CampaignDefined& e, ReferenceList& r) {
  r.Add(K::kCampaign, e.campaign_id);
  for (const auto& target : e.targets.counters_by_region) r.Add(K::kRegion, target.first);
}
void Add(const SupplierRegistered& e, ReferenceList& r) {
  r.Add(K::kSupplier, e.supplier_id);
  r.Add(K::kRegion, e.region);
}
void Add(const HouseholdRegistered& e, ReferenceList& r) {
  r.Add(K::kHousehold, e.household_id);
  r.Add(K::kRegion, e.region);
}
void Add(const ProductCertified& e, ReferenceList& r) {
  r.Add(K::kProduct, e.product_id);
  r.Add(K::kSupplier, e.supplier_id);
  r.Add(K::kRegion, e.origin_region);
  for (const std::string& household : e.benefit.households) r.Add(K::kHousehold, household);
}
void Add(const ProductRepriced& e, ReferenceList& r) { r.Add(K::kProduct, e.product_id); }
void Add(const ProductRevoked& e, ReferenceList& r) { r.Add(K::kProduct, e.product_id); }
void Add(const OutletDeployed& e, ReferenceList& r) {
  r.Add(K::kOutlet, e.outlet_id);
  r.Add(K::kRegion, e.region);
}
void Add(const OutletClosed& e, ReferenceList& r) { r.Add(K::kOutlet, e.outlet_id); }
void Add(const PromotionHeld& e, ReferenceList& r) {
  r.Add(K::kPromotion, e.promotion_id);
  r.Add(K::kRegion, e.region);
}
void Add(const SaleRecorded& e, ReferenceList& r) {
  r.Add(K::kSale, e.sale_id);
  r.Add(K::kProduct, e.product_id);
  r.Add(K::kOutlet, e.outlet_id);
  if (e.buyer_ref) r.Add("buyer", *e.buyer_ref);
}
void Add(const SaleRefunded& e, ReferenceList& r) {
  r.Add(K::kSale, e.sale_id);
  r.Add(K::kOutlet, e.outlet_id);
}
void Add(const BenefitPaid& e, ReferenceList& r) {
  r.Add(K::kSupplier, e.supplier_id);
  for (const BenefitPayment& payment : e.payments) r.Add(K::kHousehold, payment.household_id);
}
// Decision: row regions are not references; they are lines of the
// reporting region's own table, and a province report would otherwise
// enter all 138 regions' trails.
void Add(const ReportSubmitted& e, ReferenceList& r) {
  r.Add(K::kCampaign, e.campaign_id);
  r.Add(K::kRegion, e.region);
}
void Add(const FlagRaised& e, ReferenceList& r) {
  r.Add(K::kFlag, e.flag_id);
  r.AddRaw(e.subject);
  r.Add(K::kRegion, e.region);
}
void Add(const FlagResolved& e, ReferenceList& r) { r.Add(K::kFlag, e.flag_id); }

}  // namespace

void AppendReferences(const EventBody& body, std::vector<std::string>& out) {
  ReferenceList list(out);
  std::visit([&list](const auto& typed) { Add(typed, list); }, body);
}

}  // namespace fupin::internal
