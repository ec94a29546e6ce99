// The small campaign world of the validation tests: regions, keys and
// entities in a FakeLedgerView, signers of every role, one valid body per
// event type, and a helper that signs, parses and validates an event.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ledger/codec.h"
#include "ledger/entity_state.h"
#include "ledger/event.h"
#include "ledger/validation.h"
#include "tests/ledger/event_test_helpers.h"

namespace fupin::event_test {

// recorded_at of the validated events: 2020-09-05T02:15:01Z.
inline constexpr int64_t kRecordedAtMs = 1599272101000;

inline KeyState MakeSigner(uint32_t roles, std::vector<std::string> regions,
                           std::string supplier_id = "") {
  KeyState key;
  key.public_key = SeededKey(9).public_raw();
  key.roles = roles;
  key.regions = std::move(regions);
  key.supplier_id = std::move(supplier_id);
  return key;
}

// "ok" or the code and message of a rejection.
inline ::testing::AssertionResult Rejected(const Result<ValidatedEvent>& result,
                                           ErrorCode expected) {
  if (result.ok()) {
    return ::testing::AssertionFailure() << "accepted, expected " << ErrorCodeName(expected);
  }
  if (result.status().code() != expected) {
    return ::testing::AssertionFailure()
           << "got " << result.status().ToString() << ", expected " << ErrorCodeName(expected);
  }
  return ::testing::AssertionSuccess() << result.status().ToString();
}

inline ::testing::AssertionResult Accepted(const Result<ValidatedEvent>& result) {
  if (result.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.status().ToString();
}

// The message of a rejection ("" when accepted).
inline std::string MessageOf(const Result<ValidatedEvent>& result) {
  return result.ok() ? "" : result.status().message();
}

template <typename T>
const T* WrittenState(const ValidatedEvent& event, EntityKind kind, std::string_view id) {
  for (const StateWrite& write : event.writes) {
    if (write.kind == kind && write.id == id) return std::get_if<T>(&write.state);
  }
  return nullptr;
}

template <typename V>
boost::json::object With(boost::json::object body, std::string_view field, V&& value) {
  if constexpr (std::is_same_v<std::decay_t<V>, std::string>) {
    body[field] = std::string_view(value);
  } else {
    body[field] = std::forward<V>(value);
  }
  return body;
}

inline boost::json::object Without(boost::json::object body, std::string_view field) {
  body.erase(field);
  return body;
}

class ValidationWorld : public ::testing::Test {
 protected:
  ValidationWorld() {
    DefineRegion("430000", "湖南省", RegionLevel::kProvince, "", false);
    DefineRegion("430100", "长沙市", RegionLevel::kPrefecture, "430000", false);
    DefineRegion("430102", "芙蓉区", RegionLevel::kCounty, "430100", false);
    DefineRegion("433100", "湘西土家族苗族自治州", RegionLevel::kPrefecture, "430000", false);
    DefineRegion("433127", "永顺县", RegionLevel::kCounty, "433100", true);

    view_.Put(EntityKind::kKey, "admin", admin_);
    view_.Put(EntityKind::kKey, "ledger-system", system_);
    view_.Put(EntityKind::kKey, "op-old", MakeSigner(kRoleOperator, {"430100"}));
    view_.Put(EntityKind::kKey, "op-xiangxi", MakeSigner(kRoleOperator, {"433100"}));
    KeyState revoked = MakeSigner(kRoleOperator, {"430100"});
    revoked.revoked = true;
    view_.Put(EntityKind::kKey, "op-revoked", revoked);

    view_.Put(EntityKind::kCampaign, "CAMP-1", CampaignState{"2020-09-01", "2020-09-30"});
    view_.Put(EntityKind::kSupplier, "SUP-1", SupplierState{"433127"});
    view_.Put(EntityKind::kSupplier, "SUP-3", SupplierState{"433127"});
    view_.Put(EntityKind::kSupplier, "SUP-9", SupplierState{"430102"});
    view_.Put(EntityKind::kHousehold, "H-1", HouseholdState{"433127"});
    view_.Put(EntityKind::kProduct, "P-1", ProductState{"SUP-1", "433127", false});
    view_.Put(EntityKind::kProduct, "P-REVOKED", ProductState{"SUP-1", "433127", true});
    view_.Put(EntityKind::kOutlet, "C-1", OutletState{"430102", "counter", false});
    view_.Put(EntityKind::kOutlet, "C-CLOSED", OutletState{"430102", "counter", true});
    view_.Put(EntityKind::kOutlet, "C-XX", OutletState{"433127", "counter", false});
    view_.Put(EntityKind::kPromotion, "PR-0", PromotionState{"430100"});
    view_.Put(EntityKind::kSale, "S-1", SaleState{"C-1", 7000, 1000});
    view_.Put(EntityKind::kSale, "S-XX", SaleState{"C-XX", 5000, 0});
    view_.Put(EntityKind::kFlag, "F-1", FlagState{"430102", false});
    view_.Put(EntityKind::kFlag, "F-DONE", FlagState{"430102", true});
  }

  void DefineRegion(const std::string& code, const std::string& name, RegionLevel level,
                    const std::string& parent, bool poverty) {
    view_.Put(EntityKind::kRegion, code, RegionState{name, level, parent, poverty});
  }

  // Signs the event with a real key, parses the envelope and validates it.
  Result<ValidatedEvent> Validate(std::string_view type, const boost::json::object& body,
                                  const KeyState& signer, int64_t recorded_at_ms = kRecordedAtMs) {
    const Envelope envelope =
        MustParse(SignToJson(UnsignedEvent(type, body, "signer"), SeededKey(9)));
    return ValidateEvent(envelope, signer, recorded_at_ms, view_);
  }

  static bool HasReferences(const ValidatedEvent& event, std::vector<std::string> expected) {
    std::sort(expected.begin(), expected.end());
    return event.references == expected;
  }

  // --- Valid bodies against this world --------------------------------------

  static boost::json::object KeyRegisteredBody() {
    boost::json::object body = ParseObject(
        R"({"key_id":"op-2","alg":"ed25519","roles":["operator"],"regions":["430100"]})");
    body["public_key"] = Base64Encode(SeededKey(20).public_raw());
    return body;
  }
  static boost::json::object KeyRevokedBody() {
    return ParseObject(R"({"key_id":"op-old","reason":"device lost"})");
  }
  static boost::json::object RegionDefinedBody() {
    return ParseObject(
        R"({"code":"430103","name":"天心区","level":"county","parent":"430100","poverty_county":false})");
  }
  static boost::json::object CampaignDefinedBody() {
    return ParseObject(R"({"campaign_id":"CAMP-2","name":"2020年消费扶贫月",
        "starts_on":"2020-09-01","ends_on":"2020-09-30",
        "targets":{"sales_fen":400000000000,"counters_total":30000,
                   "counters_by_region":{"430100":10000},"counters_min_per_prefecture":2000,
                   "pavilions_min_per_region":1,"offline_zones_min_per_prefecture":3}})");
  }
  static boost::json::object SupplierRegisteredBody() {
    return ParseObject(R"({"supplier_id":"SUP-2","name":"永顺县百合专业合作社",
        "uscc":"91350100M000100Y43","region":"433127"})");
  }
  static boost::json::object HouseholdRegisteredBody() {
    return ParseObject(R"({"household_id":"H-2","region":"433127","members":4,"status":"poor"})");
  }
  static boost::json::object ProductCertifiedBody() {
    return ParseObject(
        R"({"product_id":"P-2","name":"龙山百合","category":"农产品",
        "spec":"500g","unit":"袋","supplier_id":"SUP-1","origin_region":"433127",
        "reference_price_fen":3500,"certificate_no":"HN-FP-2020-0002",
        "valid_from":"2020-01-01","valid_to":"2020-12-31","annual_value_fen":100000000,
        "benefit":{"mechanisms":["order_purchase","employment"],
                   "households":["H-1","H-unknown"],"people_claimed":7}})");
  }
  static boost::json::object ProductRepricedBody() {
    return ParseObject(R"({"product_id":"P-1","reference_price_fen":3800,"source":"市场监测"})");
  }
  static boost::json::object ProductRevokedBody() {
    return ParseObject(R"({"product_id":"P-1","reason":"抽检不合格"})");
  }
  static boost::json::object OutletDeployedBody() {
    return ParseObject(
        R"({"outlet_id":"C-2","kind":"counter","name":"芙蓉区政务中心专柜",
        "region":"430102","venue":"政务中心一楼","device_id":"aa:bb:cc:dd:ee:ff"})");
  }
  static boost::json::object OutletClosedBody() {
    return ParseObject(R"({"outlet_id":"C-1","reason":"撤柜"})");
  }
  static boost::json::object PromotionHeldBody() {
    return ParseObject(R"({"promotion_id":"PR-1","name":"湘西农产品产销对接会",
        "region":"430100","held_on":"2020-09-12"})");
  }
  static boost::json::object SaleRecordedBody() {
    return ParseObject(R"({"sale_id":"S-2","product_id":"P-1","outlet_id":"C-1",
        "quantity":2,"unit_price_fen":3500,"amount_fen":7000,
        "buyer_kind":"individual","buyer_ref":"B-1"})");
  }
  static boost::json::object SaleRefundedBody() {
    return ParseObject(R"({"sale_id":"S-1","outlet_id":"C-1","amount_fen":2000,"reason":"退货"})");
  }
  static boost::json::object BenefitPaidBody() {
    return ParseObject(R"({"supplier_id":"SUP-1","period_from":"2020-09-01",
        "period_to":"2020-09-30","payments":[
          {"household_id":"H-1","mechanism":"order_purchase","amount_fen":50000},
          {"household_id":"H-unknown","mechanism":"employment","amount_fen":30000}]})");
  }
  static boost::json::object ReportRow(std::string_view region) {
    boost::json::object row = ParseObject(R"({"online_zones":1,"offline_zones":3,
        "pavilions":1,"counters":120,"livestream_bases":1,"promotions":2,
        "sales_fen":123456789,"poor_people_covered":56})");
    row["region"] = region;
    return row;
  }
  static boost::json::object ReportSubmittedBody() {
    boost::json::object body;
    body["campaign_id"] = "CAMP-1";
    body["region"] = "430100";
    body["rows"] = boost::json::array{ReportRow("430100"), ReportRow("430102")};
    return body;
  }
  static boost::json::object FlagRaisedBody() {
    return ParseObject(R"({"flag_id":"F-2","rule":"FP-03","severity":"warning",
        "subject":"product:P-1","region":"433127","evidence":[41,42],
        "summary":"unit price 4600 > 1.30 x reference 3500","details":{"ratio_permille":1314}})");
  }
  static boost::json::object FlagResolvedBody() {
    return ParseObject(R"({"flag_id":"F-1","resolution":"dismissed","note":"价格经核实合理"})");
  }

  FakeLedgerView view_;
  KeyState admin_ = MakeSigner(kRoleAdmin, {"000000"});
  KeyState prefecture_admin_ = MakeSigner(kRoleAdmin, {"430100"});
  KeyState certifier_ = MakeSigner(kRoleCertifier, {"000000"});
  KeyState xiangxi_certifier_ = MakeSigner(kRoleCertifier, {"433100"});
  KeyState operator_ = MakeSigner(kRoleOperator, {"430100"});
  KeyState supplier_ = MakeSigner(kRoleSupplier, {"433127"}, "SUP-1");
  KeyState reporter_ = MakeSigner(kRoleReporter, {"430000"});
  KeyState supervisor_ = MakeSigner(kRoleSupervisor, {"000000"});
  KeyState system_ = MakeSigner(kRoleSystem, {"000000"});
};

}  // namespace fupin::event_test
