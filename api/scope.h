// Region scope of reads (SPEC §5: tokens carry a role and a region scope;
// "an out-of-scope read is 403, never a silent filter on a named entity").
//
// Where an entity lies, for access:
//   product            its origin_region
//   supplier, outlet,  its region
//   household
//   region             its own code
//   key                every region of its scope: all must be covered
//                      ("000000" is province-wide)
//   flag, promotion    the region of its flag.raised / promotion.held
//   report stream      REGION of "report:CAMPAIGN:REGION"
//   campaign           province-wide
// Province-wide means covered only by a scope that covers every
// province-level region of the catalog. An entity the catalog does not
// know (a household named in a benefit claim but never registered) is
// province-wide too: nothing says which region may see it.
//
// Searches filter their results to the scope; a search naming a region
// outside it is 403. All functions are pure or read-only and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/auth.h"
#include "api/handlers.h"
#include "ledger/status.h"
#include "projections/entity_projection.h"

namespace fupin::api {

// The scope code that covers every region (SPEC §2.4), and what
// province-wide entities are located at.
inline constexpr std::string_view kEveryRegion = "000000";

// The regions a caller may read. Borrows the principal's region list: it
// lives as long as the call.
class ReadScope {
 public:
  // Unlimited on open routes (no principal) and for tokens configured
  // without regions.
  explicit ReadScope(const Principal* principal);

  bool unlimited() const { return regions_ == nullptr || regions_->empty(); }
  const std::vector<std::string>& regions() const;

  // Whether a fact located at `code` may be read; kEveryRegion asks for
  // CoversProvince.
  bool Covers(std::string_view code, const projections::EntityCatalog& catalog) const;
  // Whether every province-level region of `catalog` is covered (false
  // for a limited scope when the catalog defines no province).
  bool CoversProvince(const projections::EntityCatalog& catalog) const;

 private:
  const std::vector<std::string>* regions_ = nullptr;
};

// The entity kinds of GET /v1/trail/{kind}/{id}.
bool IsTrailKind(std::string_view kind);

// Where entity `kind`:`id` lies (see the table above): the regions that
// must all be covered. Reads the first record of the entity's stream for
// flags and promotions. Errors: the ledger's read errors; kDataLoss when
// that record is unreadable.
Result<std::vector<std::string>> EntityRegions(const Ledger& ledger,
                                               const projections::EntityCatalog& catalog,
                                               std::string_view kind, std::string_view id);

// The entity a stream belongs to: ("outlet", "C-1") for "outlet:C-1";
// for "report:CAMPAIGN:REGION" ("region", REGION).
std::pair<std::string, std::string> StreamEntity(std::string_view stream);

// kPermissionDenied naming the entity and the first region not covered.
Status CheckRegions(const ReadScope& scope, std::string_view kind, std::string_view id,
                    const std::vector<std::string>& regions,
                    const projections::EntityCatalog& catalog);

// The scope check of a read naming `kind`:`id`, against the live catalog;
// a refusal is decided only once the projections have folded the records
// committed before the call (waiting at most kCatchUpWait), so an entity
// just created is placed. Free for an unlimited scope. kUnavailable when a
// limited scope must be checked and the server keeps no projections.
Status CheckEntityInScope(const Call& call, std::string_view kind, std::string_view id);

// A read about `kind`:`id` as trails and sales ask it: kNotFound when no
// record names the entity, then CheckEntityInScope.
Status CheckNamedEntityInScope(const Call& call, std::string_view kind, std::string_view id);

// The check of reads that are not about one region (the raw log,
// campaign-wide facts): kPermissionDenied unless the scope is
// province-wide. `what` names the read in the message.
Status CheckProvinceScope(const Call& call, std::string_view what);

// kPermissionDenied when a search filter names a region outside the scope.
Status CheckFilterRegion(const ReadScope& scope, std::string_view parameter,
                         std::string_view region);

}  // namespace fupin::api
