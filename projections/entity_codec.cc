// The snapshot encoding of EntityCatalog (version EntityProjection::
// kVersion): each map as a count and its entries in key order, each entity
// its members in declaration order.
#include <utility>

#include "projections/entity_projection.h"
#include "projections/snapshot_io.h"

namespace fupin::projections {
namespace {

using snapshot_io::Reader;
using snapshot_io::Writer;

// --- Field codecs: one Io overload per member type, for both directions. --

void Io(Writer& w, const std::string& v) { w.Str(v); }
void Io(Reader& r, std::string& v) { v = r.Str(); }
void Io(Writer& w, int64_t v) { w.I64(v); }
void Io(Reader& r, int64_t& v) { v = r.I64(); }
void Io(Writer& w, uint32_t v) { w.U32(v); }
void Io(Reader& r, uint32_t& v) { v = r.U32(); }
void Io(Writer& w, bool v) { w.Bool(v); }
void Io(Reader& r, bool& v) { v = r.Bool(); }
void Io(Writer& w, const Stamp& v) {
  w.U64(v.seq);
  w.I64(v.occurred_at_ms);
}
void Io(Reader& r, Stamp& v) {
  v.seq = r.U64();
  v.occurred_at_ms = r.I64();
}

// Enumerations as one byte, checked against their last enumerator.
template <typename E, E kLast>
void IoEnum(Writer& w, E v) {
  w.U8(static_cast<uint8_t>(v));
}
template <typename E, E kLast>
void IoEnum(Reader& r, E& v) {
  uint8_t byte = r.U8();
  if (byte > static_cast<uint8_t>(kLast)) throw cereal::Exception("enumeration out of range");
  v = static_cast<E>(byte);
}
void Io(Writer& w, RegionLevel v) { w.U8(static_cast<uint8_t>(v)); }
void Io(Reader& r, RegionLevel& v) {
  uint8_t byte = r.U8();
  if (byte < static_cast<uint8_t>(RegionLevel::kProvince) ||
      byte > static_cast<uint8_t>(RegionLevel::kCounty)) {
    throw cereal::Exception("region level out of range");
  }
  v = static_cast<RegionLevel>(byte);
}
void Io(Writer& w, OutletKind v) { IoEnum<OutletKind, OutletKind::kLivestreamBase>(w, v); }
void Io(Reader& r, OutletKind& v) { IoEnum<OutletKind, OutletKind::kLivestreamBase>(r, v); }
void Io(Writer& w, HouseholdStatus v) { IoEnum<HouseholdStatus, HouseholdStatus::kExited>(w, v); }
void Io(Reader& r, HouseholdStatus& v) { IoEnum<HouseholdStatus, HouseholdStatus::kExited>(r, v); }
void Io(Writer& w, BenefitMechanism v) { IoEnum<BenefitMechanism, BenefitMechanism::kOther>(w, v); }
void Io(Reader& r, BenefitMechanism& v) {
  IoEnum<BenefitMechanism, BenefitMechanism::kOther>(r, v);
}

// Declared ahead of the containers that hold them (ordinary lookup in a
// template sees only what was declared before it).
void Io(Writer& w, const PricePoint& p);
void Io(Reader& r, PricePoint& p);

template <typename A, typename B>
void Io(Writer& w, const std::pair<A, B>& v) {
  Io(w, v.first);
  Io(w, v.second);
}
template <typename A, typename B>
void Io(Reader& r, std::pair<A, B>& v) {
  Io(r, v.first);
  Io(r, v.second);
}
template <typename T>
void Io(Writer& w, const std::optional<T>& v) {
  w.Bool(v.has_value());
  if (v) Io(w, *v);
}
template <typename T>
void Io(Reader& r, std::optional<T>& v) {
  if (r.Bool()) {
    v.emplace();
    Io(r, *v);
  } else {
    v.reset();
  }
}
template <typename T>
void Io(Writer& w, const std::vector<T>& v) {
  w.List(v, [](Writer& out, const T& item) { Io(out, item); });
}
template <typename T>
void Io(Reader& r, std::vector<T>& v) {
  r.List(v, [](Reader& in, T& item) { Io(in, item); });
}

// Applies Io to each member, in declaration order, in either direction.
template <typename Archive, typename... Members>
void Fields(Archive& a, Members&... members) {
  (Io(a, members), ...);
}

template <typename Archive, typename T>
void IoTargets(Archive& a, T& t) {
  Fields(a, t.sales_fen, t.counters_total, t.counters_by_region, t.counters_min_per_prefecture,
         t.pavilions_min_per_region, t.offline_zones_min_per_prefecture);
}

// Entities: the same member lists serve both directions (const or not).
template <typename A, typename P>
void IoPrice(A& a, P& p) {
  Fields(a, p.at, p.reference_price_fen, p.source);
}
void Io(Writer& w, const PricePoint& p) { IoPrice(w, p); }
void Io(Reader& r, PricePoint& p) { IoPrice(r, p); }

template <typename A, typename E>
void IoEntity(A& a, E& p) {
  using T = std::remove_const_t<E>;
  if constexpr (std::is_same_v<T, ProductEntity>) {
    Fields(a, p.name, p.category, p.spec, p.unit, p.supplier_id, p.origin_region, p.certificate_no,
           p.valid_from, p.valid_to, p.annual_value_fen, p.mechanisms, p.households,
           p.people_claimed, p.revoked, p.revocation_reason, p.certifications, p.revoked_at,
           p.prices);
  } else if constexpr (std::is_same_v<T, SupplierEntity>) {
    Fields(a, p.name, p.uscc, p.region, p.registered);
  } else if constexpr (std::is_same_v<T, HouseholdEntity>) {
    Fields(a, p.region, p.members, p.status, p.registered);
  } else if constexpr (std::is_same_v<T, OutletEntity>) {
    Fields(a, p.kind, p.name, p.region, p.venue, p.platform, p.device_id, p.deployed, p.closed,
           p.close_reason, p.closed_at);
  } else if constexpr (std::is_same_v<T, KeyEntity>) {
    Fields(a, p.public_key, p.roles, p.regions, p.not_before_ms, p.not_after_ms, p.supplier_id,
           p.registered, p.revoked, p.revocation_reason, p.revoked_at);
  } else if constexpr (std::is_same_v<T, RegionEntity>) {
    Fields(a, p.name, p.level, p.parent, p.poverty_county, p.defined);
  } else {
    static_assert(std::is_same_v<T, CampaignEntity>);
    Fields(a, p.name, p.starts_on, p.ends_on);
    IoTargets(a, p.targets);
    Fields(a, p.defined);
  }
}

template <typename E>
void WriteMap(Writer& w, const std::map<std::string, E, std::less<>>& map) {
  w.U64(map.size());
  for (const auto& [id, entity] : map) {
    w.Str(id);
    IoEntity(w, entity);
  }
}

template <typename E>
void ReadMap(Reader& r, std::map<std::string, E, std::less<>>& map) {
  const uint64_t size = r.Size(sizeof(uint64_t));
  map.clear();
  for (uint64_t i = 0; i < size; ++i) {
    std::string id = r.Str();
    E entity;
    IoEntity(r, entity);
    // Keys were written in order, so each goes at the end.
    map.emplace_hint(map.end(), std::move(id), std::move(entity));
  }
  if (map.size() != size) throw cereal::Exception("duplicate entity id");
}

}  // namespace

std::string EntityProjection::EncodeState() const {
  Writer w;
  w.U64(catalog_.position);
  WriteMap(w, catalog_.products);
  WriteMap(w, catalog_.suppliers);
  WriteMap(w, catalog_.households);
  WriteMap(w, catalog_.outlets);
  WriteMap(w, catalog_.keys);
  WriteMap(w, catalog_.regions);
  WriteMap(w, catalog_.campaigns);
  return w.Finish();
}

Status EntityProjection::DecodeState(std::string_view bytes) {
  EntityCatalog catalog;
  FUPIN_RETURN_IF_ERROR(snapshot_io::Decode("entity state", bytes, [&](Reader& r) {
    catalog.position = r.U64();
    ReadMap(r, catalog.products);
    ReadMap(r, catalog.suppliers);
    ReadMap(r, catalog.households);
    ReadMap(r, catalog.outlets);
    ReadMap(r, catalog.keys);
    ReadMap(r, catalog.regions);
    ReadMap(r, catalog.campaigns);
    return Status::Ok();
  }));
  catalog_ = std::move(catalog);
  return Status::Ok();
}

}  // namespace fupin::projections
