#include "core/access.hpp"

const char* role_name(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::ingest:
      return "ingest";
    case Role::reader:
      return "reader";
    case Role::owner:
      return "owner";
  }
  return "";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role role : {Role::admin, Role::ingest, Role::reader, Role::owner}) {
    if (name == role_name(role)) return role;
  }
  return std::nullopt;
}

Decision decide(Access access, const AccessPolicy& policy, std::optional<Role> role,
                bool wrong_token) {
  if (access == Access::open || !policy.tokens_exist) return Decision::allow;
  if (wrong_token) return Decision::unauthenticated;
  const bool reading = access == Access::scoped_read || access == Access::read;
  if (!role) {
    return reading && !policy.reads_need_token ? Decision::allow : Decision::unauthenticated;
  }
  switch (*role) {
    case Role::admin:
      return Decision::allow;
    case Role::reader:
      return reading || access == Access::trigger ? Decision::allow : Decision::forbidden;
    case Role::owner:
      return access == Access::scoped_read ? Decision::allow : Decision::forbidden;
    case Role::ingest:
      return access == Access::ingest ? Decision::allow : Decision::forbidden;
  }
  return Decision::forbidden;
}
