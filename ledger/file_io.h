// Whole files read and written durably: the one home of "write to a
// temporary file, sync it, rename it over the target, sync the directory"
// (the witness's state, the last verification, evidence bundles, the demo's
// files). Thread-safe as the file system is: two writers of one path must
// be serialized by their caller.
#pragma once

#include <sys/types.h>

#include <string>

#include "ledger/status.h"

namespace fupin {

// The file's bytes. kNotFound when it does not exist, kIoError when it
// cannot be read.
Result<std::string> ReadFileBytes(const std::string& path);

// Replaces `path` with `bytes` so that after a crash it holds either the old
// or the new contents, never a mix, and the new contents survive once this
// returns: written to `path`.tmp with `mode`, fsynced, renamed over `path`,
// and the directory fsynced. kIoError with the errno text; the temporary
// file is removed on failure.
Status WriteFileDurably(const std::string& path, std::string_view bytes, mode_t mode = 0644);

}  // namespace fupin
