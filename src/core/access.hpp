// Who may do what (access control), as plain values: the roles a token
// carries, the access level a route asks for, and the one decision between
// them. Pure; the server applies it to every request before its handler.
#pragma once

#include <optional>
#include <string>
#include <string_view>

// What a token may do: admin everything; ingest the /ingest/* routes; reader
// every read route and triggering reports; owner read only its own stores.
enum class Role { admin, ingest, reader, owner };
const char* role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

// What a route asks for.
enum class Access {
  open,         // anyone, always (the page, health, metrics, the API description)
  scoped_read,  // readers and admins; owners too, limited to their stores by the handler
  read,         // readers and admins (whole-fleet reads)
  trigger,      // readers and admins, and never without a token (it starts work)
  ingest,       // ingest tokens and admins
  admin,        // admins (backups, deleting data, tokens)
};

// Whether access control is on, and for reads too.
struct AccessPolicy {
  bool tokens_exist = false;      // a configured token or any in the database
  bool reads_need_token = false;  // --token-read, or any reader or owner token exists
};

enum class Decision { allow, unauthenticated, forbidden };

// The decision for a request to a route of `access`: `role` is the role of
// the token it carried (nullopt: none), `wrong_token` whether it carried one
// that matches no token. Missing or wrong token: unauthenticated (401); a
// valid token without the right: forbidden (403).
Decision decide(Access access, const AccessPolicy& policy, std::optional<Role> role,
                bool wrong_token);
