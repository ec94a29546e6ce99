#include "generator/catalog.h"

#include <array>
#include <utility>

namespace fupin::generator {
namespace {

// Prices: typical retail of the spec in 2020 (湖南扶贫产品 catalogues and
// platform listings), in fen.
inline constexpr std::array<ProductKind, 19> kKinds = {{
    {"大米", "粮油·大米", "袋", "5kg/袋", 5980, true},
    {"茶油", "粮油·山茶油", "瓶", "1.8L/瓶", 19800, true},
    {"腊肉", "腊味·腊肉", "袋", "500g/袋", 5580, true},
    {"辣椒", "调味·干辣椒", "袋", "250g/袋", 2280, true},
    {"蜂蜜", "蜂产品·土蜂蜜", "瓶", "500g/瓶", 6880, true},
    {"柑橘", "水果·柑橘", "箱", "5kg/箱", 4580, true},
    {"黄花菜", "干菜·黄花菜", "袋", "500g/袋", 4280, false},
    {"百合", "干菜·百合", "袋", "500g/袋", 6980, false},
    {"猕猴桃", "水果·猕猴桃", "箱", "2.5kg/箱", 6580, false},
    {"绿茶", "茶叶·绿茶", "盒", "250g/盒", 16800, false},
    {"黑茶", "茶叶·黑茶", "块", "1kg/块", 19800, false},
    {"红茶", "茶叶·红茶", "盒", "250g/盒", 12800, false},
    {"白茶", "茶叶·白茶", "盒", "250g/盒", 15800, false},
    {"黄桃", "水果·黄桃", "箱", "2.5kg/箱", 6880, false},
    {"笋干", "干菜·笋干", "袋", "500g/袋", 3880, false},
    {"酱干", "豆制品·酱干", "袋", "500g/袋", 2680, false},
    {"牛奶", "乳品·纯牛奶", "箱", "250ml×12/箱", 6280, false},
    {"香菇", "干菜·香菇", "袋", "500g/袋", 5280, false},
    {"牛肉干", "肉制品·牛肉干", "袋", "250g/袋", 5980, false},
}};

inline constexpr std::array<std::string_view, 6> kStaples = {"大米", "茶油", "腊肉",
                                                             "辣椒", "蜂蜜", "柑橘"};

struct Specialty {
  std::string_view county;
  std::array<std::string_view, 3> kinds;  // empty entries unused
};

// Local specialties of the 51 poverty counties (地理标志 and county
// brands: 祁东黄花菜, 龙山百合, 安化黑茶, 古丈毛尖, 麻阳冰糖橙 ...).
inline constexpr std::array<Specialty, 51> kSpecialties = {{
    {"430224", {"茶油", "大米", "辣椒"}},   {"430225", {"黄桃", "笋干", "茶油"}},
    {"430426", {"黄花菜", "辣椒", "大米"}}, {"430522", {"茶油", "大米", "辣椒"}},
    {"430523", {"茶油", "大米", ""}},       {"430524", {"百合", "辣椒", ""}},
    {"430525", {"柑橘", "茶油", ""}},       {"430527", {"笋干", "香菇", ""}},
    {"430528", {"柑橘", "茶油", ""}},       {"430529", {"牛奶", "腊肉", "蜂蜜"}},
    {"430581", {"腊肉", "大米", ""}},       {"430626", {"酱干", "茶油", "辣椒"}},
    {"430726", {"柑橘", "绿茶", ""}},       {"430802", {"绿茶", "腊肉", ""}},
    {"430811", {"蜂蜜", "腊肉", ""}},       {"430821", {"大米", "柑橘", ""}},
    {"430822", {"白茶", "腊肉", ""}},       {"430923", {"黑茶", "", ""}},
    {"431022", {"柑橘", "辣椒", ""}},       {"431026", {"辣椒", "腊肉", ""}},
    {"431027", {"绿茶", "腊肉", ""}},       {"431028", {"大米", "辣椒", ""}},
    {"431123", {"笋干", "蜂蜜", ""}},       {"431125", {"柑橘", "", ""}},
    {"431126", {"柑橘", "腊肉", ""}},       {"431128", {"大米", "辣椒", ""}},
    {"431129", {"腊肉", "绿茶", ""}},       {"431202", {"柑橘", "", ""}},
    {"431221", {"猕猴桃", "柑橘", ""}},     {"431222", {"绿茶", "腊肉", ""}},
    {"431223", {"大米", "茶油", ""}},       {"431224", {"柑橘", "茶油", ""}},
    {"431225", {"笋干", "蜂蜜", ""}},       {"431226", {"柑橘", "", ""}},
    {"431227", {"牛肉干", "腊肉", ""}},     {"431228", {"腊肉", "大米", ""}},
    {"431229", {"蜂蜜", "笋干", ""}},       {"431230", {"腊肉", "大米", ""}},
    {"431271", {"柑橘", "", ""}},           {"431281", {"柑橘", "黄桃", ""}},
    {"431321", {"大米", "辣椒", ""}},       {"431322", {"红茶", "腊肉", ""}},
    {"431382", {"大米", "茶油", ""}},       {"433101", {"猕猴桃", "绿茶", ""}},
    {"433122", {"柑橘", "辣椒", ""}},       {"433123", {"猕猴桃", "腊肉", ""}},
    {"433124", {"猕猴桃", "绿茶", ""}},     {"433125", {"绿茶", "柑橘", ""}},
    {"433126", {"绿茶", "", ""}},           {"433127", {"猕猴桃", "腊肉", "大米"}},
    {"433130", {"百合", "腊肉", ""}},
}};

inline constexpr std::array<std::string_view, 5> kGrades = {"", "精品", "礼盒装", "特级", "农家"};

inline constexpr std::array<Platform, 5> kPlatforms = {{
    {"ccb", "中国建设银行·善融商务", "善融商务"},
    {"abc", "中国农业银行·扶贫商城", "农行扶贫商城"},
    {"psbc", "中国邮政储蓄银行·邮乐购", "邮乐购"},
    {"icbc", "中国工商银行·融e购", "融e购"},
    {"hnfp", "湖南省消费扶贫公共服务平台", "消费扶贫平台"},
}};

inline constexpr std::array<std::string_view, 16> kVenues = {
    "政务服务中心", "人民医院",       "第一中学",     "汽车站",   "高铁站",       "工业园",
    "税务局",       "农商银行营业部", "市民中心",     "人民公园", "职业技术学院", "供销大厦",
    "步行街",       "机关食堂",       "社区服务中心", "图书馆"};

inline constexpr std::array<std::string_view, 6> kSupermarkets = {
    "步步高超市", "友阿超市", "家润多超市", "新一佳超市", "沃尔玛", "华润万家"};

inline constexpr std::array<std::string_view, 10> kBudgetUnits = {
    "教育局", "卫健委",     "财政局", "人社局", "农业农村局",
    "住建局", "交通运输局", "总工会", "税务局", "市场监管局"};

inline constexpr std::array<SupplierForm, 4> kForms = {{
    {"农民专业合作社", {'9', '3', '\0'}},
    {"生态农业有限公司", {'9', '1', '\0'}},
    {"农业开发有限公司", {'9', '1', '\0'}},
    {"食品有限公司", {'9', '1', '\0'}},
}};

inline constexpr std::array<std::string_view, 16> kWords = {
    "金穗", "山乡", "绿源", "丰收", "青山", "瑶乡", "苗岭", "碧水",
    "龙脊", "溪谷", "云雾", "富民", "兴农", "惠农", "源生", "山里人"};

}  // namespace

std::span<const ProductKind> ProductKinds() { return kKinds; }

int FindKind(std::string_view name) {
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::span<const std::string_view> CountySpecialties(std::string_view county) {
  for (const Specialty& s : kSpecialties) {
    if (s.county != county) continue;
    std::size_t n = 0;
    while (n < s.kinds.size() && !s.kinds[n].empty()) ++n;
    return std::span<const std::string_view>(s.kinds.data(), n);
  }
  return kStaples;
}

std::span<const std::string_view> ProductGrades() { return kGrades; }
std::span<const Platform> OnlinePlatforms() { return kPlatforms; }
std::span<const std::string_view> CounterVenues() { return kVenues; }
std::span<const std::string_view> Supermarkets() { return kSupermarkets; }
std::span<const std::string_view> BudgetUnitKinds() { return kBudgetUnits; }
std::span<const SupplierForm> SupplierForms() { return kForms; }
std::span<const std::string_view> SupplierWords() { return kWords; }

}  // namespace fupin::generator
