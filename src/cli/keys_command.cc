#include "cli/keys_command.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/clock.h"
#include "app/crypto.h"
#include "app/retention.h"
#include "app/workspace.h"
#include "cli/commands.h"
#include "store/open_store.h"

namespace tandem {
namespace {

int Fail(const Status& status) {
  fmt::print(stderr, "tandem: {}\n", status.message());
  return status.code() == StatusCode::kInvalidArgument ? kExitBadInput : kExitFailure;
}

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

Result<SecretKey> ReadKeyFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return Status::InvalidArgument("master key file " + path + ": cannot be read");
  }
  if ((info.st_mode & 077) != 0) {
    return Status::InvalidArgument("master key file " + path +
                                   " is readable by others: chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::InvalidArgument("master key file " + path + ": cannot be read");
  return SecretKey::FromBase64(text.str(), "master key file " + path);
}

Result<std::optional<SecretKey>> LoadMasterKey(const std::string& key_file) {
  if (std::optional<std::string> value = Env("TANDEM_MASTER_KEY")) {
    Result<SecretKey> key = SecretKey::FromBase64(*value, "TANDEM_MASTER_KEY");
    if (!key.ok()) return key.status();
    return std::optional<SecretKey>(std::move(key).value());
  }
  if (key_file.empty()) return std::optional<SecretKey>();
  Result<SecretKey> key = ReadKeyFile(key_file);
  if (!key.ok()) return key.status();
  return std::optional<SecretKey>(std::move(key).value());
}

int RunKeysGenerate(const KeysGenerateCommand& command) {
  if (Status s = InitCrypto(); !s.ok()) return Fail(s);
  const SecretKey key = SecretKey::Generate();
  const std::string text = key.ToBase64() + "\n";
  if (command.out.empty()) {
    fmt::print("{}", text);
  } else {
    // O_EXCL: an existing key is never overwritten (it may be the one that wraps everything).
    const int fd = ::open(command.out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      return Fail(Status::InvalidArgument(command.out + ": cannot create it (does it exist?)"));
    }
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return Fail(Status::Unavailable(command.out + ": cannot write it"));
  }
  fmt::print(stderr, "master key {} made; keep a copy apart from the database backups\n", key.Id());
  return kExitOk;
}

int RunKeysRotate(const KeysRotateCommand& command) {
  if (Status s = InitCrypto(); !s.ok()) return Fail(s);
  std::optional<SecretKey> current;
  if (!command.key_file.empty()) {
    Result<SecretKey> read = ReadKeyFile(command.key_file);
    if (!read.ok()) return Fail(read.status());
    current = std::move(read).value();
  } else {
    Result<std::optional<SecretKey>> loaded =
        LoadMasterKey(Env("TANDEM_MASTER_KEY_FILE").value_or(""));
    if (!loaded.ok()) return Fail(loaded.status());
    current = std::move(loaded).value();
  }
  if (!current) {
    return Fail(Status::InvalidArgument(
        "the current master key: pass --key-file or set TANDEM_MASTER_KEY(_FILE)"));
  }
  Result<SecretKey> next = ReadKeyFile(command.new_key_file);
  if (!next.ok()) return Fail(next.status());
  Result<std::unique_ptr<Store>> store = store::OpenStore(command.target.db);
  if (!store.ok()) return Fail(store.status());
  const Result<std::int64_t> rotated =
      RotateMasterKey(*store.value(), *current, next.value(), SystemClock().Now());
  if (!rotated.ok()) return Fail(rotated.status());
  fmt::print(
      "re-wrapped {} tandem keys with master key {}; restart every server with it, then "
      "destroy the old key once no backup needs it (docs/operations.md)\n",
      rotated.value(), next.value().Id());
  return kExitOk;
}

int RunKeysEraseExpired(const StoreTarget& target) {
  Result<std::unique_ptr<Store>> store = store::OpenStore(target.db);
  if (!store.ok()) return Fail(store.status());
  SystemClock clock;
  Workspace workspace(*store.value(), clock, std::nullopt);
  const Result<std::int64_t> erased = workspace.EraseExpired();
  if (!erased.ok()) return Fail(erased.status());
  fmt::print("erased the content of {} tandems whose retention period ended\n", erased.value());
  // Closed programmes past their retention period: their personal data (app/retention.h).
  const Result<RetentionCounts> programmes = EraseExpiredProgrammes(*store.value(), clock);
  if (!programmes.ok()) return Fail(programmes.status());
  fmt::print("erased the personal data of {} closed programmes whose retention period ended\n",
             programmes.value().programmes);
  return kExitOk;
}

}  // namespace tandem
