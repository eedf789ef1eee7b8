// `tandem keys ...`: the master key that wraps every tandem's data key (docs/operations.md,
// "Master key"), and where `tandem serve` finds it. Exit statuses as in commands.h.
#pragma once

#include <optional>
#include <string>

#include "app/sealing.h"
#include "cli/store_commands.h"
#include "core/status.h"

namespace tandem {

// The configured master key: $TANDEM_MASTER_KEY (the key in base64) if set, else the file
// `key_file` names (if not empty). nullopt when neither is configured. A key file must not be
// readable by group or others (InvalidArgument otherwise, like ssh). REQUIRES: InitCrypto().
Result<std::optional<SecretKey>> LoadMasterKey(const std::string& key_file);

// Reads a key file (the same permission rule).
Result<SecretKey> ReadKeyFile(const std::string& path);

struct KeysGenerateCommand {
  std::string out;  // a new file (mode 600); empty: print to stdout
};
// Makes a new random master key.
int RunKeysGenerate(const KeysGenerateCommand& command);

struct KeysRotateCommand {
  StoreTarget target;
  std::string key_file;      // the current key (else $TANDEM_MASTER_KEY[_FILE])
  std::string new_key_file;  // the key to wrap with from now on
};
// Re-wraps every tandem key with the new master key in one transaction.
int RunKeysRotate(const KeysRotateCommand& command);

// Erases the keys (and content) of tandems whose retention period has ended.
int RunKeysEraseExpired(const StoreTarget& target);

}  // namespace tandem
