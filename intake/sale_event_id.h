// Event ids of imported sales: the same platform order always gets the
// same id, so importing an export twice is idempotent (the ledger answers
// "duplicate" for a known id with the same content, SPEC §5).
//
// The id is an RFC 4122 §4.3 name-based UUID, version 5 (SHA-1):
//   UUIDv5(kSaleEventIdNamespace, platform + "\n" + order key)
// The namespace is itself UUIDv5(RFC 4122 NAMESPACE_URL,
// "urn:fupin-ledger:sale.recorded:platform-order"), so anyone can re-derive
// it; it never changes once released (docs/intake.md, "## import sales").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fupin::intake {

using UuidBytes = std::array<uint8_t, 16>;

// c86e02cc-33a2-53a1-968a-be63558fd9ef.
inline constexpr UuidBytes kSaleEventIdNamespace = {0xc8, 0x6e, 0x02, 0xcc, 0x33, 0xa2, 0x53, 0xa1,
                                                    0x96, 0x8a, 0xbe, 0x63, 0x55, 0x8f, 0xd9, 0xef};

// RFC 4122 §4.3 version 5: SHA-1 of the namespace's 16 bytes then `name`,
// its first 16 bytes with the version and variant bits set; lower-case
// text form. Pure and thread-safe.
std::string NameBasedUuid(const UuidBytes& name_space, std::string_view name);

// The event id of the sale of `order_key` on `platform` (the map's
// "platform" and the order's sale-id cells joined, without the prefix).
std::string SaleEventId(std::string_view platform, std::string_view order_key);

}  // namespace fupin::intake
