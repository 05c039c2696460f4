// Passwords from the environment or from files, resolved when the configuration is read.
#include "secrets.hpp"

#include <cstdlib>
#include <fstream>

namespace preshard::config {

namespace {

int line_of(const YAML::Node& node) {
  return node.IsDefined() ? node.Mark().line + 1 : 0;
}

// "${NAME}" (the whole value): the environment's NAME. Returns "" or what is wrong.
std::string from_environment(std::string& value) {
  if (value.size() < 4 || value.rfind("${", 0) != 0 || value.back() != '}') return "";
  std::string name = value.substr(2, value.size() - 3);
  for (char ch : name) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) {
      return "'${...}' must name an environment variable (letters, digits, _)";
    }
  }
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return "environment variable " + name + " is not set";
  value = v;
  return "";
}

// The first line of `path` into `value`. Returns "" or what is wrong.
std::string from_file(const std::string& path, std::string& value) {
  std::ifstream in(path);
  if (!in) return "cannot read " + path;
  std::getline(in, value);
  if (!value.empty() && value.back() == '\r') value.pop_back();
  if (value.empty()) return path + " is empty (its first line is the password)";
  return "";
}

struct Resolver {
  const std::string& file;
  std::vector<ConfigError>& errors;

  void env(std::string& value, const YAML::Node& node, const std::string& key) {
    std::string why = from_environment(value);
    if (!why.empty()) errors.push_back({file, line_of(node), key, why});
  }
  // A password and its *_file: at most one of them.
  void pair(std::string& password, const std::string& password_file, const YAML::Node& at,
            const std::string& key) {
    env(password, at, key);
    if (password_file.empty()) return;
    if (!password.empty()) {
      errors.push_back({file, line_of(at), key, "both a password and a password_file"});
      return;
    }
    std::string why = from_file(password_file, password);
    if (!why.empty()) errors.push_back({file, line_of(at), key + "_file", why});
  }
};

}  // namespace

void resolve_secrets(Config& c, const YAML::Node& root, const std::string& file,
                     std::vector<ConfigError>& errors) {
  Resolver r{file, errors};
  r.env(c.requirepass, root["requirepass"], "requirepass");
  r.env(c.admin_password, root["admin_password"], "admin_password");
  r.env(c.sentinel_password, root["sentinel_password"], "sentinel_password");
  r.env(c.backend_user, root["backend_user"], "backend_user");
  r.env(c.tls_key_file_pass, root["tls_key_file_pass"], "tls_key_file_pass");
  r.env(c.tls_client_key_file_pass, root["tls_client_key_file_pass"], "tls_client_key_file_pass");
  r.pair(c.backend_password, c.backend_password_file,
         root["backend_password"] ? root["backend_password"] : root["backend_password_file"],
         "backend_password");
  for (size_t i = 0; i < c.credentials.size(); ++i) {
    Credentials& cred = c.credentials[i];
    if (!cred.set()) continue;
    std::string key = "instances[" + std::to_string(i) + "]";
    YAML::Node at = root["instances"][i];
    r.env(cred.user, at, key + ".user");
    r.pair(cred.password, cred.password_file, at, key + ".password");
  }
}

Credentials Config::backend_credentials(size_t shard) const {
  if (shard < credentials.size() && credentials[shard].set()) return credentials[shard];
  if (!backend_user.empty() || !backend_password.empty())
    return {backend_user, backend_password, ""};
  // The instances preshardctl runs with a requirepass (the `redis:` section) need it too.
  return {"", redis.password(), ""};
}

}  // namespace preshard::config
