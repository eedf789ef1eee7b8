#include "cli/commands.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/csv_reader.h"
#include "app/match_output.h"
#include "app/participants_csv.h"
#include "core/synthetic_cohort.h"
#include "match/engine.h"

namespace tandem {
namespace {

// Prints every problem and returns whether there was an error.
bool Report(const InputProblems& problems) {
  for (const std::string& w : problems.warnings) fmt::print(stderr, "warning: {}\n", w);
  for (const std::string& e : problems.errors) fmt::print(stderr, "{}\n", e);
  if (problems.omitted > 0) {
    fmt::print(stderr, "... and {} more problems\n", problems.omitted);
  }
  return !problems.ok();
}

struct ProgressBar {
  bool enabled = false;
  int last_phase = -1;
  int last_percent = -1;

  static void Update(void* context, int phase, std::int64_t done, std::int64_t total) {
    auto* bar = static_cast<ProgressBar*>(context);
    const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 100;
    if (phase == bar->last_phase && percent == bar->last_percent) return;
    bar->last_phase = phase;
    bar->last_percent = percent;
    static const char* kPhases[] = {"candidates", "matching"};
    const int filled = percent / 5;
    fmt::print(stderr, "\r{:>10} [{:<20}] {:3}%", kPhases[phase],
               std::string(static_cast<size_t>(filled), '#'), percent);
    if (phase == 1 && percent == 100) fmt::print(stderr, "\n");
  }
};

// Rejects outputs that could not both be written: the same file twice (however spelled) or a
// directory. Checked before any work, so that a failing run never replaces one of them.
Status CheckOutputs(const MatchCommand& command) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (const std::string* path : {&command.out, &command.report}) {
    if (!path->empty() && fs::is_directory(*path, error)) {
      return Status::InvalidArgument(*path + ": is a directory, expected a file name");
    }
  }
  if (command.out.empty() || command.report.empty()) return Status::Ok();
  const fs::path out = fs::weakly_canonical(fs::absolute(command.out, error), error);
  const fs::path report = fs::weakly_canonical(fs::absolute(command.report, error), error);
  if (command.out == command.report || (!error && out == report)) {
    return Status::InvalidArgument("--out and --report name the same file '" + command.out + "'");
  }
  return Status::Ok();
}

}  // namespace

int RunMatch(const MatchCommand& command) {
  const auto start = std::chrono::steady_clock::now();
  MatchOptions options;
  if (Status s = CheckOutputs(command); !s.ok()) {
    fmt::print(stderr, "{}\n", s.message());
    return kExitBadInput;
  }
  options.mode = command.mode == "open" ? MatchMode::kOpen : MatchMode::kReverse;
  options.objective = command.objective == "stable" ? Objective::kStable : Objective::kOptimal;
  if (command.candidates == "auto") {
    options.candidates = MatchOptions::kAutoCandidates;
  } else if (command.candidates == "all") {
    options.candidates = 0;
  } else {
    int k = 0;
    const std::string& c = command.candidates;
    auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), k);
    if (ec != std::errc() || end != c.data() + c.size() || k < 1) {
      fmt::print(stderr, "--candidates: '{}' is not a positive number, 'all' or 'auto'\n", c);
      return kExitBadInput;
    }
    options.candidates = k;
  }

  if (command.max_rounds != "auto") {
    int rounds = 0;
    const std::string& r = command.max_rounds;
    auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), rounds);
    if (ec != std::errc() || end != r.data() + r.size() || rounds < 1 || rounds > 1000) {
      fmt::print(stderr, "--max-rounds: '{}' is not a number from 1 to 1000 or 'auto'\n", r);
      return kExitBadInput;
    }
    options.max_pricing_rounds = rounds;
  }
  InputProblems problems;
  std::vector<Topic> catalogue;
  std::string text;
  if (!command.topics.empty()) {
    if (Status s = ReadFile(command.topics, &text); !s.ok()) {
      fmt::print(stderr, "{}\n", s.message());
      return kExitBadInput;
    }
    catalogue = ReadTopics(command.topics, text, &problems);
    if (Report(problems)) return kExitBadInput;
  }
  if (Status s = ReadFile(command.input, &text); !s.ok()) {
    fmt::print(stderr, "{}\n", s.message());
    return kExitBadInput;
  }
  ParticipantsFile participants;
  ReadParticipants(command.input, text, catalogue, &participants, &problems);
  std::vector<std::pair<int, int>> excluded;
  if (problems.ok() && !command.exclude.empty()) {
    if (Status s = ReadFile(command.exclude, &text); !s.ok()) {
      fmt::print(stderr, "{}\n", s.message());
      return kExitBadInput;
    }
    excluded = ReadExclusions(command.exclude, text, participants, &problems);
  }
  if (Report(problems)) return kExitBadInput;
  text.clear();
  text.shrink_to_fit();

  ProgressBar bar;
  bar.enabled = !command.quiet && isatty(STDERR_FILENO) != 0;
  PhasedProgress progress;
  if (bar.enabled) progress = {ProgressBar::Update, &bar};
  const auto matching_start = std::chrono::steady_clock::now();
  const MatchResult result =
      RunMatching(participants.cohort, participants.tree, excluded, options, progress);
  RunTimes times;
  times.reading = std::chrono::duration<double>(matching_start - start).count();
  times.matching =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - matching_start).count();
  const Cohort& cohort = participants.cohort;
  const std::string tandems =
      command.format == "json" ? TandemsJson(cohort, result) : TandemsCsv(cohort, result);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  times.total = seconds;

  // Write both files aside first and rename them only when both are complete, so that on any
  // error neither --out nor --report changes.
  std::string report_temp, out_temp;
  if (!command.report.empty()) {
    if (Status s = WriteFileAside(command.report, ReportJson(cohort, result, options, times),
                                  &report_temp);
        !s.ok()) {
      fmt::print(stderr, "{}\n", s.message());
      return kExitFailure;
    }
  }
  if (!command.out.empty()) {
    if (Status s = WriteFileAside(command.out, tandems, &out_temp); !s.ok()) {
      if (!report_temp.empty()) DiscardFile(report_temp);
      fmt::print(stderr, "{}\n", s.message());
      return kExitFailure;
    }
  }
  const std::pair<std::string, std::string> commits[] = {{out_temp, command.out},
                                                         {report_temp, command.report}};
  for (size_t i = 0; i < 2; ++i) {
    const auto& [temp, path] = commits[i];
    if (temp.empty()) continue;
    if (Status s = CommitFile(temp, path); !s.ok()) {
      if (i == 0 && !report_temp.empty()) DiscardFile(report_temp);
      fmt::print(stderr, "{}\n", s.message());
      return kExitFailure;
    }
  }
  if (command.out.empty()) {
    std::fwrite(tandems.data(), 1, tandems.size(), stdout);
    std::fflush(stdout);
  }
  if (!command.quiet) {
    fmt::print(stderr, "{}time: {:.2f} s\n", SummaryText(cohort, result), seconds);
  }
  return kExitOk;
}

int RunGenerate(const GenerateCommand& command) {
  const Cohort cohort = GenerateCohort(command.people, command.seed);
  const std::string csv = WriteParticipants(cohort);
  if (!command.topics_out.empty()) {
    std::string topics = "key,name,weight\n";
    for (const Topic& t : cohort.topics) {
      AppendCsvField(&topics, t.key);
      topics += ',';
      AppendCsvField(&topics, t.name);
      topics += ',' + std::to_string(t.weight) + '\n';
    }
    if (Status s = WriteFileAtomically(command.topics_out, topics); !s.ok()) {
      fmt::print(stderr, "{}\n", s.message());
      return kExitFailure;
    }
  }
  if (command.out.empty()) {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
    return kExitOk;
  }
  if (Status s = WriteFileAtomically(command.out, csv); !s.ok()) {
    fmt::print(stderr, "{}\n", s.message());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace tandem
