// The process the crash tests kill. `store_crash_writer write URL FIRST` inserts person
// crash-FIRST, crash-FIRST+1, ... each together with an update of the row "crash-counter",
// one transaction each, and prints the number of every committed write on its own line only
// after the commit returned. `store_crash_writer verify URL` opens the store as tandem would
// and prints every crash-N found and the counter's level. `store_crash_writer check URL` reads
// numbers from stdin and prints those whose row is missing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "app/store.h"
#include "store/open_store.h"

namespace {

using tandem::PersonRecord;
using tandem::Status;
using tandem::StoreTx;

int Write(const std::string& url, long first) {
  std::unique_ptr<tandem::Store> store;
  for (long n = first;;) {
    if (store == nullptr) {
      auto opened = tandem::store::OpenStore(url);
      if (!opened.ok()) {
        std::fprintf(stderr, "open: %s\n", opened.status().message().c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      store = std::move(opened).value();
    }
    const Status status = store->Write([&](StoreTx& tx) {
      PersonRecord p;
      p.external_id = "crash-" + std::to_string(n);
      p.name = std::string(200, 'x');  // some bulk, so that pages and the WAL fill
      p.level = static_cast<int>(n % 4);
      p.created_at = p.updated_at = n;
      tx.InsertPerson(p);
      std::optional<PersonRecord> counter = tx.FindPersonByExternalId("crash-counter");
      if (!counter) {
        PersonRecord c;
        c.external_id = "crash-counter";
        c.level = 0;
        tx.InsertPerson(c);
        counter = tx.FindPersonByExternalId("crash-counter");
      }
      counter->level = static_cast<int>(n);
      if (!tx.UpdatePerson(*counter)) return Status::Conflict("counter changed");
      return Status::Ok();
    });
    if (!status.ok()) {
      std::fprintf(stderr, "write %ld: %s\n", n, status.message().c_str());
      if (status.code() == tandem::StatusCode::kUnavailable) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      // A write that failed may or may not have landed (PostgreSQL gone at commit): it is not
      // acknowledged, and the next attempt uses a new number.
      ++n;
      continue;
    }
    std::printf("%ld\n", n);
    std::fflush(stdout);
    ++n;
  }
}

int Verify(const std::string& url) {
  auto opened = tandem::store::OpenStore(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().message().c_str());
    return 1;
  }
  const Status status = opened.value()->Read([](StoreTx& tx) {
    tandem::RowId after = 0;
    for (;;) {
      const auto page = tx.ListPeople(after, 10000);
      if (page.empty()) break;
      for (const PersonRecord& p : page) {
        after = p.id;
        if (p.external_id == "crash-counter") {
          std::printf("counter %d\n", p.level);
        } else if (p.external_id.rfind("crash-", 0) == 0) {
          std::printf("%s\n", p.external_id.c_str() + 6);
        }
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) {
    std::fprintf(stderr, "read: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}

// Reads numbers from stdin and prints each one whose crash-N row is missing.
int Check(const std::string& url) {
  auto opened = tandem::store::OpenStore(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.status().message().c_str());
    return 1;
  }
  std::vector<long> numbers;
  for (long n = 0; std::scanf("%ld", &n) == 1;) numbers.push_back(n);
  const Status status = opened.value()->Read([&](StoreTx& tx) {
    for (const long n : numbers) {
      if (!tx.FindPersonByExternalId("crash-" + std::to_string(n))) std::printf("%ld\n", n);
    }
    return Status::Ok();
  });
  if (!status.ok()) {
    std::fprintf(stderr, "read: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "write") return Write(argv[2], std::atol(argv[3]));
  if (argc == 3 && std::string(argv[1]) == "verify") return Verify(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "check") return Check(argv[2]);
  std::fprintf(stderr, "usage: store_crash_writer write URL FIRST | verify URL\n");
  return 2;
}
