// The tandem's protected space (issue 7; docs/privacy.md): the confidentiality agreement, the
// roadmap, shared and private notes, meetings with calendar files, a personal calendar feed and
// asks to leadership. Every permission is decided here, once:
//
// - Only the tandem's two partners, in a browser session, see anything of it. Everyone else,
//   system and programme administrators included, gets NotFound, as if the tandem did not
//   exist (audited, by ids only).
// - The content opens once the tandem is active and both partners have accepted the
//   agreement; before that the content use cases answer Conflict naming what is missing. A
//   completed or dissolved tandem's content stays readable (not writable) until its key is
//   erased at the end of the retention period.
// - Roadmap, note and meeting text is sealed with the tandem's key before it reaches the store;
//   no log line, audit entry or error message carries it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/sealing.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

inline constexpr size_t kMaxRoadmapTextLength = 2000;
inline constexpr size_t kMaxRoadmapItems = 100;
inline constexpr size_t kMaxNoteTitleLength = 200;
inline constexpr size_t kMaxNoteTextLength = 100000;
inline constexpr size_t kMaxActionItems = 100;
inline constexpr size_t kMaxActionItemLength = 500;

struct AgreementAcceptanceView {
  RowId person = 0;
  std::string role;  // "mentor" or "mentee"
  Millis accepted_at = 0;
};

// The agreement as one partner sees it: the programme's text in their language, who accepted
// when, and whether the workspace is open.
struct AgreementView {
  RowId tandem = 0;
  std::string text;
  std::vector<AgreementAcceptanceView> acceptances;
  bool accepted_by_me = false;
  bool open = false;  // both accepted: the content routes answer
};

struct RoadmapItemView {
  RoadmapItemRecord item;  // ciphertext and nonce cleared
  std::string text;
};

struct RoadmapView {
  std::vector<RoadmapItemView> items;  // in roadmap order
  std::int64_t version = 1;            // the order's version (If-Match of a reorder)
};

struct ActionItem {
  std::string text;
  bool done = false;
};

// What a partner writes. `is_private` is fixed when the note is created.
struct NoteInput {
  std::string title;
  std::string text;  // Markdown
  std::vector<ActionItem> action_items;
  bool is_private = false;
};

struct NoteView {
  NoteRecord note;  // ciphertext and nonce cleared
  std::string title;
  std::string text;
  std::vector<ActionItem> action_items;
};

inline constexpr int kDefaultMeetingMinutes = 60;
inline constexpr int kMinMeetingMinutes = 15;
inline constexpr int kMaxMeetingMinutes = 8 * 60;
inline constexpr size_t kMaxPlaceLength = 500;
inline constexpr size_t kMaxVideoLinkLength = 2000;
inline constexpr size_t kMaxAgendaItems = 20;
inline constexpr size_t kMaxAgendaTextLength = 2000;

// One part of a meeting's agenda. `kind`: "theory", "demo", "hands_on", "discussion" or
// "other" (the meeting template is the first four, in that order).
struct AgendaItem {
  std::string kind;
  std::string text;
};

// The agenda a meeting starts from: theory, demo, hands-on, open discussion.
std::vector<AgendaItem> MeetingTemplate();

// What a partner proposes or changes. Times are UTC milliseconds; `time_zone` (IANA) is where
// the partners meet, for the calendar file.
struct MeetingInput {
  Millis starts_at = 0;
  int duration_minutes = kDefaultMeetingMinutes;
  std::string time_zone = "Europe/Berlin";
  std::string place;
  std::string video_link;                         // http(s) URL or ""
  std::optional<std::vector<AgendaItem>> agenda;  // nullopt: MeetingTemplate() (or unchanged)
};

struct MeetingView {
  MeetingRecord meeting;  // ciphertext and nonce cleared
  std::string place;
  std::string video_link;
  std::vector<AgendaItem> agenda;
};

inline constexpr size_t kMaxAskLength = 5000;

// What a partner asks of top management, for the programme team.
struct AskInput {
  std::string text;
  std::vector<std::string> topics;  // keys of the programme's topic catalogue
  bool named = false;               // false (default): the team does not learn who asked
};

// A change to a roadmap item: the fields given change.
struct RoadmapChange {
  std::optional<std::string> text;
  std::optional<bool> covered;
};

class Workspace {
 public:
  // `store` and `clock` must outlive this object. `master` is the master key, or null when
  // none is configured: then the content answers Unavailable. Thread-safe.
  Workspace(Store& store, const Clock& clock, std::optional<SecretKey> master)
      : store_(store), clock_(clock), master_(std::move(master)) {}

  // ---- The agreement (any state of the tandem; accepting needs an active tandem).
  Result<AgreementView> GetAgreement(const Caller& caller, RowId tandem);
  // Records the caller's acceptance of the text they are shown (accepting twice changes
  // nothing). The second acceptance opens the workspace: a fresh tandem key, and a roadmap
  // prefilled with the tandem's contributing topics.
  Result<AgreementView> AcceptAgreement(const Caller& caller, RowId tandem);

  // ---- The roadmap. Stale `if_match` versions are FailedPrecondition.
  Result<RoadmapView> GetRoadmap(const Caller& caller, RowId tandem);
  Result<RoadmapItemView> AddRoadmapItem(const Caller& caller, RowId tandem, std::string_view text);
  Result<RoadmapItemView> ChangeRoadmapItem(const Caller& caller, RowId tandem, RowId item,
                                            const RoadmapChange& change, std::int64_t if_match);
  Status DeleteRoadmapItem(const Caller& caller, RowId tandem, RowId item);
  // `order` lists every item id once, in the new order; `if_match` is RoadmapView::version.
  Result<RoadmapView> ReorderRoadmap(const Caller& caller, RowId tandem,
                                     const std::vector<RowId>& order, std::int64_t if_match);

  // ---- Notes: the shared ones and the caller's own private ones (another partner's private
  // note is NotFound).
  Result<std::vector<NoteView>> ListNotes(const Caller& caller, RowId tandem);
  Result<NoteView> GetNote(const Caller& caller, RowId tandem, RowId note);
  Result<NoteView> AddNote(const Caller& caller, RowId tandem, const NoteInput& input);
  Result<NoteView> ChangeNote(const Caller& caller, RowId tandem, RowId note,
                              const NoteInput& input, std::int64_t if_match);
  Status DeleteNote(const Caller& caller, RowId tandem, RowId note);

  // ---- Meetings. A proposal waits for the other partner's acceptance; a changed time makes it
  // a new proposal by the one who changed it. Cancelled and held meetings no longer change.
  Result<std::vector<MeetingView>> ListMeetings(const Caller& caller, RowId tandem);
  Result<MeetingView> GetMeeting(const Caller& caller, RowId tandem, RowId meeting);
  Result<MeetingView> ProposeMeeting(const Caller& caller, RowId tandem, const MeetingInput& input);
  Result<MeetingView> ChangeMeeting(const Caller& caller, RowId tandem, RowId meeting,
                                    const MeetingInput& input, std::int64_t if_match);
  Result<MeetingView> AcceptMeeting(const Caller& caller, RowId tandem, RowId meeting);
  Result<MeetingView> CancelMeeting(const Caller& caller, RowId tandem, RowId meeting);
  // Only once it has started.
  Result<MeetingView> MarkMeetingHeld(const Caller& caller, RowId tandem, RowId meeting);
  // The meeting as an iCalendar file (RFC 5545) in its time zone.
  Result<std::string> MeetingCalendar(const Caller& caller, RowId tandem, RowId meeting);

  // ---- The caller's private calendar feed: a secret URL that lists the times and states of
  // their tandems' meetings (never place, link or agenda, so a leaked URL reveals little).
  // Creating one replaces (revokes) the previous; the token is shown once.
  Result<std::string> CreateCalendarFeed(const Caller& caller);
  Status RevokeCalendarFeed(const Caller& caller);
  // The feed of `token` as text/calendar; NotFound for an unknown or revoked token.
  Result<std::string> CalendarFeed(std::string_view token);

  // ---- Asks to leadership: from a partner of an active tandem to the programme team, anonymous
  // unless `named` (then the team sees the author, never the tandem).
  Result<LeadershipAskRecord> SendAsk(const Caller& caller, RowId tandem, const AskInput& input);

  // ---- Retention: erases the key (and the content) of every tandem that ended more than its
  // programme's retention_months ago. Returns how many were erased.
  Result<std::int64_t> EraseExpired();

  struct Open;  // an opened workspace inside a transaction (workspace.cc)

 private:
  // Runs `fn` in one transaction after the checks every content use case shares: the caller
  // is a partner, the workspace is open, its key unwraps. `write`: the tandem must be active.
  Status WithContent(const Caller& caller, RowId tandem, bool write,
                     const std::function<Status(StoreTx&, Open&)>& fn);
  // A state change of one meeting: `step` changes the record (or returns why not).
  Result<MeetingView> MeetingStep(const Caller& caller, RowId tandem, RowId meeting,
                                  std::string_view action,
                                  const std::function<Status(MeetingRecord&, RowId me)>& step);

  Store& store_;
  const Clock& clock_;
  const std::optional<SecretKey> master_;
};

// Re-wraps every tandem key that `current` wraps with `next`, in one transaction; Internal
// (and nothing changed) when a key does not open with `current`. Returns how many.
Result<std::int64_t> RotateMasterKey(Store& store, const SecretKey& current, const SecretKey& next,
                                     Millis now);

// Erases one tandem's protected content (its key, roadmap, notes, meetings) at once; false
// when there was none (or it was erased already). Audited with `actor`.
Result<bool> EraseTandemContent(Store& store, RowId tandem, std::string_view actor, Millis now);

}  // namespace tandem
