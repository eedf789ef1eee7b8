#include "app/workspace.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "app/calendar.h"
#include "app/crypto.h"
#include "app/csv_reader.h"
#include "app/directory.h"

namespace tandem {
namespace {

using nlohmann::json;

// What each sealed text is for: authenticated with it, so rows cannot be swapped.
constexpr char kRoadmapPurpose[] = "roadmap";
constexpr char kNotePurpose[] = "note";
constexpr char kMeetingPurpose[] = "meeting";
constexpr Millis kEarliestMeeting = 946'684'800'000;  // 2000-01-01
constexpr Millis kLatestMeeting = 4'102'444'800'000;  // 2100-01-01

constexpr Millis kMonth = 30LL * 24 * 60 * 60 * 1000 + 10LL * 60 * 60 * 1000;  // 30.4 days

std::string Id(RowId id) { return std::to_string(id); }

Status TandemNotFound(RowId id) { return Status::NotFound("tandem " + Id(id) + " not found"); }

bool IsPartner(const TandemRecord& t, RowId person) {
  return t.mentor == person || t.mentee == person;
}

// The text rules shared by roadmap items and notes. Messages name the field, never the text.
Status CheckText(std::string_view field, std::string_view text, size_t max, bool required) {
  if (!IsValidUtf8(text)) return Status::InvalidArgument(std::string(field) + ": not valid UTF-8");
  if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::InvalidArgument(std::string(field) + ": must not be empty");
  }
  if (text.size() > max) {
    return Status::InvalidArgument(std::string(field) + ": at most " + std::to_string(max) +
                                   " bytes");
  }
  return Status::Ok();
}

Status CheckNote(const NoteInput& in) {
  if (Status s = CheckText("title", in.title, kMaxNoteTitleLength, false); !s.ok()) return s;
  if (Status s = CheckText("text", in.text, kMaxNoteTextLength, false); !s.ok()) return s;
  if (in.action_items.size() > kMaxActionItems) {
    return Status::InvalidArgument("action_items: at most " + std::to_string(kMaxActionItems));
  }
  for (size_t i = 0; i < in.action_items.size(); ++i) {
    const std::string field = "action_items[" + std::to_string(i) + "].text";
    if (Status s = CheckText(field, in.action_items[i].text, kMaxActionItemLength, true); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

bool IsAgendaKind(std::string_view kind) {
  return kind == "theory" || kind == "demo" || kind == "hands_on" || kind == "discussion" ||
         kind == "other";
}

Status CheckMeeting(const MeetingInput& in) {
  if (in.starts_at < kEarliestMeeting || in.starts_at > kLatestMeeting) {
    return Status::InvalidArgument("starts_at: a time between 2000 and 2100");
  }
  if (in.duration_minutes < kMinMeetingMinutes || in.duration_minutes > kMaxMeetingMinutes) {
    return Status::InvalidArgument("duration_minutes: from " + std::to_string(kMinMeetingMinutes) +
                                   " to " + std::to_string(kMaxMeetingMinutes));
  }
  if (!KnownTimeZone(in.time_zone)) {
    return Status::InvalidArgument("time_zone: not a known time zone (e.g. Europe/Berlin)");
  }
  if (Status s = CheckText("place", in.place, kMaxPlaceLength, false); !s.ok()) return s;
  if (Status s = CheckText("video_link", in.video_link, kMaxVideoLinkLength, false); !s.ok()) {
    return s;
  }
  if (!in.video_link.empty() && in.video_link.rfind("https://", 0) != 0 &&
      in.video_link.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("video_link: an http or https link");
  }
  if (in.agenda) {
    if (in.agenda->size() > kMaxAgendaItems) {
      return Status::InvalidArgument("agenda: at most " + std::to_string(kMaxAgendaItems) +
                                     " items");
    }
    for (size_t i = 0; i < in.agenda->size(); ++i) {
      const AgendaItem& a = (*in.agenda)[i];
      const std::string where = "agenda[" + std::to_string(i) + "]";
      if (!IsAgendaKind(a.kind)) {
        return Status::InvalidArgument(where +
                                       ".kind: theory, demo, hands_on, discussion or other");
      }
      if (Status s = CheckText(where + ".text", a.text, kMaxAgendaTextLength, false); !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

std::string MeetingPlain(const MeetingInput& in, const std::vector<AgendaItem>& agenda) {
  json items = json::array();
  for (const AgendaItem& a : agenda) items.push_back({{"kind", a.kind}, {"text", a.text}});
  return json{{"place", in.place}, {"video_link", in.video_link}, {"agenda", std::move(items)}}
      .dump();
}

std::string MeetingUid(RowId tandem, RowId meeting) {
  return "tandem-" + Id(tandem) + "-meeting-" + Id(meeting) + "@tandem";
}

std::string CalendarStatus(MeetingState state) {
  return state == MeetingState::kCancelled  ? "CANCELLED"
         : state == MeetingState::kProposed ? "TENTATIVE"
                                            : "CONFIRMED";
}

std::string NotePlain(const NoteInput& in) {
  json items = json::array();
  for (const ActionItem& a : in.action_items) items.push_back({{"text", a.text}, {"done", a.done}});
  return json{{"title", in.title}, {"text", in.text}, {"action_items", std::move(items)}}.dump();
}

}  // namespace

// An opened workspace: the tandem, the caller's person and the tandem's key.
struct Workspace::Open {
  TandemRecord tandem;
  WorkspaceRecord workspace;
  RowId me = 0;
  SecretKey key;

  Sealed Seal(std::string_view plain, std::string_view purpose) const {
    return tandem::Seal(key, plain, purpose);
  }
  Result<RoadmapItemView> View(const RoadmapItemRecord& item) const {
    Result<std::string> text = Unseal(key, {item.ciphertext, item.nonce}, kRoadmapPurpose);
    if (!text.ok()) return text.status();
    RoadmapItemView view{item, std::move(text).value()};
    view.item.ciphertext.clear();
    view.item.nonce.clear();
    return view;
  }
  Result<NoteView> View(const NoteRecord& note) const {
    Result<std::string> plain = Unseal(key, {note.ciphertext, note.nonce}, kNotePurpose);
    if (!plain.ok()) return plain.status();
    NoteView view;
    view.note = note;
    view.note.ciphertext.clear();
    view.note.nonce.clear();
    const json j = json::parse(plain.value(), nullptr, false);
    if (!j.is_object()) return Status::Internal("a stored note is not readable");
    view.title = j.value("title", "");
    view.text = j.value("text", "");
    for (const json& a : j.value("action_items", json::array())) {
      view.action_items.push_back({a.value("text", ""), a.value("done", false)});
    }
    return view;
  }
  Result<MeetingView> View(const MeetingRecord& meeting) const {
    Result<std::string> plain = Unseal(key, {meeting.ciphertext, meeting.nonce}, kMeetingPurpose);
    if (!plain.ok()) return plain.status();
    MeetingView view;
    view.meeting = meeting;
    view.meeting.ciphertext.clear();
    view.meeting.nonce.clear();
    const json j = json::parse(plain.value(), nullptr, false);
    if (!j.is_object()) return Status::Internal("a stored meeting is not readable");
    view.place = j.value("place", "");
    view.video_link = j.value("video_link", "");
    for (const json& a : j.value("agenda", json::array())) {
      view.agenda.push_back({a.value("kind", "other"), a.value("text", "")});
    }
    return view;
  }
  // Records of this tandem only: an id of another tandem's record is not found.
  std::optional<MeetingRecord> FindMeeting(StoreTx& tx, RowId id) const {
    std::optional<MeetingRecord> m = tx.FindMeeting(id);
    if (!m || m->tandem != tandem.id) return std::nullopt;
    return m;
  }
  // The note if the caller may see it (shared, or their own private one).
  std::optional<NoteRecord> FindNote(StoreTx& tx, RowId id) const {
    std::optional<NoteRecord> n = tx.FindNote(id);
    if (!n || n->tandem != tandem.id || (n->is_private && n->author != me)) return std::nullopt;
    return n;
  }
  std::optional<RoadmapItemRecord> FindItem(StoreTx& tx, RowId id) const {
    std::optional<RoadmapItemRecord> i = tx.FindRoadmapItem(id);
    if (!i || i->tandem != tandem.id) return std::nullopt;
    return i;
  }
};

namespace {

// The partner's view of who accepted, and what is missing.
AgreementView AgreementOf(StoreTx& tx, const TandemRecord& t, RowId me, Language language) {
  AgreementView view;
  view.tandem = t.id;
  if (const std::optional<ProgrammeRecord> p = tx.FindProgramme(t.programme)) {
    view.text = language == Language::kEnglish ? p->agreement_en : p->agreement_de;
  }
  bool mentor = false;
  bool mentee = false;
  for (const AgreementAcceptanceRecord& a : tx.ListAgreementAcceptances(t.id)) {
    const std::string role = a.person == t.mentor ? "mentor" : "mentee";
    view.acceptances.push_back({a.person, role, a.accepted_at});
    mentor = mentor || a.person == t.mentor;
    mentee = mentee || a.person == t.mentee;
    view.accepted_by_me = view.accepted_by_me || a.person == me;
  }
  view.open = mentor && mentee;
  return view;
}

// Conflict naming why the workspace is not open yet, or Ok.
Status CheckOpen(StoreTx& tx, const TandemRecord& t) {
  if (t.state == TandemState::kProposed || t.state == TandemState::kAcceptedByOne ||
      t.state == TandemState::kDeclined) {
    return Status::Conflict("tandem " + Id(t.id) + " is " + std::string(ToString(t.state)) +
                            ": the workspace opens once both partners accepted the tandem and "
                            "the agreement");
  }
  bool mentor = false;
  bool mentee = false;
  for (const AgreementAcceptanceRecord& a : tx.ListAgreementAcceptances(t.id)) {
    mentor = mentor || a.person == t.mentor;
    mentee = mentee || a.person == t.mentee;
  }
  if (!mentor || !mentee) {
    const std::string missing = !mentor && !mentee ? "the mentor's and the mentee's"
                                : !mentor          ? "the mentor's"
                                                   : "the mentee's";
    return Status::Conflict("the workspace of tandem " + Id(t.id) +
                            " opens when both partners have accepted the confidentiality "
                            "agreement: " +
                            missing + " acceptance is missing");
  }
  return Status::Ok();
}

// NotFound unless the caller is one of the tandem's partners in a browser session; `denied`
// says whether to audit it (a caller who is not a partner).
Status CheckPartner(const Caller& caller, const std::optional<TandemRecord>& t, RowId id,
                    bool* denied) {
  *denied = false;
  if (caller.anonymous()) return Status::Unauthenticated("sign in first");
  if (caller.api_token != 0 || !caller.person || !t || !IsPartner(*t, *caller.person)) {
    *denied = true;
    return TandemNotFound(id);
  }
  return Status::Ok();
}

}  // namespace

Status Workspace::WithContent(const Caller& caller, RowId id, bool write,
                              const std::function<Status(StoreTx&, Open&)>& fn) {
  bool denied = false;
  const auto body = [&](StoreTx& tx) -> Status {
    Open open;
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (Status s = CheckPartner(caller, t, id, &denied); !s.ok()) return s;
    open.tandem = *t;
    open.me = *caller.person;
    if (Status s = CheckOpen(tx, *t); !s.ok()) return s;
    const std::optional<WorkspaceRecord> w = tx.FindWorkspace(id);
    if (!w) return Status::Internal("tandem " + Id(id) + " is open but has no workspace");
    if (w->key_erased_at) {
      return Status::Conflict("the content of tandem " + Id(id) +
                              " was erased (its retention period ended, or a partner was erased)");
    }
    if (write && t->state != TandemState::kActive) {
      return Status::Conflict("tandem " + Id(id) + " is " + std::string(ToString(t->state)) +
                              ": its workspace is read-only");
    }
    if (!master_) {
      return Status::Unavailable(
          "the workspace's encryption is not configured on this server (see docs/operations.md, "
          "master key)");
    }
    if (w->master_key_id != master_->Id()) {
      return Status::Unavailable(
          "this server's master key is not the one that wraps the tandem "
          "keys (was it rotated? restart with the current key)");
    }
    Result<SecretKey> key = UnwrapKey(*master_, w->wrapped_key);
    if (!key.ok()) return key.status();
    open.workspace = *w;
    open.key = std::move(key).value();
    return fn(tx, open);
  };
  Status status = write ? store_.Write(body) : store_.Read(body);
  if (denied) return AuditDenial(store_, clock_, caller, "workspace", "tandem", id, status);
  return status;
}

// ---- The agreement

Result<AgreementView> Workspace::GetAgreement(const Caller& caller, RowId id) {
  AgreementView view;
  bool denied = false;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (Status s = CheckPartner(caller, t, id, &denied); !s.ok()) return s;
    view = AgreementOf(tx, *t, *caller.person, caller.language);
    return Status::Ok();
  });
  if (denied) return AuditDenial(store_, clock_, caller, "workspace", "tandem", id, status);
  if (!status.ok()) return status;
  return view;
}

Result<AgreementView> Workspace::AcceptAgreement(const Caller& caller, RowId id) {
  AgreementView view;
  bool denied = false;
  const Millis now = clock_.Now();
  const Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (Status s = CheckPartner(caller, t, id, &denied); !s.ok()) return s;
    const RowId me = *caller.person;
    if (t->state != TandemState::kActive) {
      return Status::Conflict("tandem " + Id(id) + " is " + std::string(ToString(t->state)) +
                              ": the agreement is accepted in an active tandem");
    }
    view = AgreementOf(tx, *t, me, caller.language);
    if (view.accepted_by_me) return Status::Ok();
    tx.InsertAgreementAcceptance({id, me, view.text, now});
    tx.AppendAudit({0, now, caller.Actor(), "workspace.agreement.accept", "tandem", id, ""});
    view = AgreementOf(tx, *t, me, caller.language);
    if (!view.open || tx.FindWorkspace(id)) return Status::Ok();
    // The second acceptance opens the workspace: its key, and the roadmap from the topics.
    if (!master_) {
      return Status::Unavailable(
          "the workspace's encryption is not configured on this server (see docs/operations.md, "
          "master key)");
    }
    const SecretKey key = SecretKey::Generate();
    WorkspaceRecord w;
    w.tandem = id;
    w.wrapped_key = WrapKey(*master_, key);
    w.master_key_id = master_->Id();
    w.created_at = now;
    tx.InsertWorkspace(w);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(t->programme);
    int position = 0;
    for (const std::string& topic : t->topics) {
      std::string name = topic;
      if (p) {
        for (const ProgrammeTopic& pt : p->topics) {
          if (pt.key != topic) continue;
          name = caller.language == Language::kEnglish ? pt.name_en : pt.name_de;
        }
      }
      const Sealed sealed = Seal(key, name, kRoadmapPurpose);
      RoadmapItemRecord item;
      item.tandem = id;
      item.position = ++position;
      item.topic = topic;
      item.ciphertext = sealed.ciphertext;
      item.nonce = sealed.nonce;
      item.created_at = item.updated_at = now;
      tx.InsertRoadmapItem(item);
    }
    tx.AppendAudit({0, now, caller.Actor(), "workspace.open", "tandem", id,
                    "roadmap items " + std::to_string(position)});
    return Status::Ok();
  });
  if (denied) return AuditDenial(store_, clock_, caller, "workspace", "tandem", id, status);
  if (!status.ok()) return status;
  return view;
}

// ---- The roadmap

Result<RoadmapView> Workspace::GetRoadmap(const Caller& caller, RowId id) {
  RoadmapView view;
  const Status status = WithContent(caller, id, false, [&](StoreTx& tx, Open& open) {
    view.version = open.workspace.roadmap_version;
    for (const RoadmapItemRecord& item : tx.ListRoadmapItems(id)) {
      Result<RoadmapItemView> v = open.View(item);
      if (!v.ok()) return v.status();
      view.items.push_back(std::move(v).value());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<RoadmapItemView> Workspace::AddRoadmapItem(const Caller& caller, RowId id,
                                                  std::string_view text) {
  if (Status s = CheckText("text", text, kMaxRoadmapTextLength, true); !s.ok()) return s;
  RoadmapItemView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    const std::vector<RoadmapItemRecord> items = tx.ListRoadmapItems(id);
    if (items.size() >= kMaxRoadmapItems) {
      return Status::Conflict("a roadmap holds at most " + std::to_string(kMaxRoadmapItems) +
                              " items");
    }
    const Sealed sealed = open.Seal(text, kRoadmapPurpose);
    RoadmapItemRecord item;
    item.tandem = id;
    item.position = items.empty() ? 1 : items.back().position + 1;
    item.ciphertext = sealed.ciphertext;
    item.nonce = sealed.nonce;
    item.created_at = item.updated_at = now;
    item.id = tx.InsertRoadmapItem(item);
    WorkspaceRecord w = open.workspace;
    ++w.roadmap_version;
    if (!tx.UpdateWorkspace(w)) return Status::Conflict("the roadmap changed; try again");
    tx.AppendAudit({0, now, caller.Actor(), "roadmap.add", "tandem", id, "item " + Id(item.id)});
    view = {item, std::string(text)};
    view.item.ciphertext.clear();
    view.item.nonce.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<RoadmapItemView> Workspace::ChangeRoadmapItem(const Caller& caller, RowId id, RowId item_id,
                                                     const RoadmapChange& change,
                                                     std::int64_t if_match) {
  if (change.text) {
    if (Status s = CheckText("text", *change.text, kMaxRoadmapTextLength, true); !s.ok()) {
      return s;
    }
  }
  RoadmapItemView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    std::optional<RoadmapItemRecord> item = open.FindItem(tx, item_id);
    if (!item) return Status::NotFound("roadmap item " + Id(item_id) + " not found");
    if (if_match != kAnyVersion && item->version != if_match) {
      return Status::FailedPrecondition("the roadmap item changed since it was read (version " +
                                        Id(item->version) + " now)");
    }
    if (change.text) {
      const Sealed sealed = open.Seal(*change.text, kRoadmapPurpose);
      item->ciphertext = sealed.ciphertext;
      item->nonce = sealed.nonce;
    }
    if (change.covered) {
      if (!*change.covered) {
        item->covered_at.reset();
      } else if (!item->covered_at) {
        item->covered_at = now;
      }
    }
    item->updated_at = now;
    if (!tx.UpdateRoadmapItem(*item)) {
      return Status::FailedPrecondition("the roadmap item changed since it was read");
    }
    ++item->version;
    tx.AppendAudit({0, now, caller.Actor(), "roadmap.change", "tandem", id, "item " + Id(item_id)});
    Result<RoadmapItemView> v = open.View(*item);
    if (!v.ok()) return v.status();
    view = std::move(v).value();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Status Workspace::DeleteRoadmapItem(const Caller& caller, RowId id, RowId item_id) {
  const Millis now = clock_.Now();
  return WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    if (!open.FindItem(tx, item_id)) {
      return Status::NotFound("roadmap item " + Id(item_id) + " not found");
    }
    tx.DeleteRoadmapItem(item_id);
    WorkspaceRecord w = open.workspace;
    ++w.roadmap_version;
    if (!tx.UpdateWorkspace(w)) return Status::Conflict("the roadmap changed; try again");
    tx.AppendAudit({0, now, caller.Actor(), "roadmap.delete", "tandem", id, "item " + Id(item_id)});
    return Status::Ok();
  });
}

Result<RoadmapView> Workspace::ReorderRoadmap(const Caller& caller, RowId id,
                                              const std::vector<RowId>& order,
                                              std::int64_t if_match) {
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    if (if_match != kAnyVersion && open.workspace.roadmap_version != if_match) {
      return Status::FailedPrecondition("the roadmap changed since it was read (version " +
                                        Id(open.workspace.roadmap_version) + " now)");
    }
    std::vector<RoadmapItemRecord> items = tx.ListRoadmapItems(id);
    const std::set<RowId> given(order.begin(), order.end());
    std::set<RowId> stored;
    for (const RoadmapItemRecord& i : items) stored.insert(i.id);
    if (given.size() != order.size() || given != stored) {
      return Status::InvalidArgument("order: list every item of the roadmap exactly once");
    }
    for (RoadmapItemRecord& item : items) {
      const auto at = std::find(order.begin(), order.end(), item.id);
      const int position = static_cast<int>(at - order.begin()) + 1;
      if (item.position == position) continue;
      item.position = position;
      item.updated_at = now;
      if (!tx.UpdateRoadmapItem(item)) return Status::Conflict("the roadmap changed; try again");
    }
    WorkspaceRecord w = open.workspace;
    ++w.roadmap_version;
    if (!tx.UpdateWorkspace(w)) {
      return Status::FailedPrecondition("the roadmap changed since it was read");
    }
    tx.AppendAudit({0, now, caller.Actor(), "roadmap.reorder", "tandem", id, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return GetRoadmap(caller, id);
}

// ---- Notes

Result<std::vector<NoteView>> Workspace::ListNotes(const Caller& caller, RowId id) {
  std::vector<NoteView> notes;
  const Status status = WithContent(caller, id, false, [&](StoreTx& tx, Open& open) {
    for (const NoteRecord& n : tx.ListNotes(id)) {
      if (n.is_private && n.author != open.me) continue;
      Result<NoteView> v = open.View(n);
      if (!v.ok()) return v.status();
      notes.push_back(std::move(v).value());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return notes;
}

Result<NoteView> Workspace::GetNote(const Caller& caller, RowId id, RowId note_id) {
  NoteView view;
  const Status status = WithContent(caller, id, false, [&](StoreTx& tx, Open& open) {
    const std::optional<NoteRecord> n = open.FindNote(tx, note_id);
    if (!n) return Status::NotFound("note " + Id(note_id) + " not found");
    Result<NoteView> v = open.View(*n);
    if (!v.ok()) return v.status();
    view = std::move(v).value();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<NoteView> Workspace::AddNote(const Caller& caller, RowId id, const NoteInput& input) {
  if (Status s = CheckNote(input); !s.ok()) return s;
  NoteView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    const Sealed sealed = open.Seal(NotePlain(input), kNotePurpose);
    NoteRecord n;
    n.tandem = id;
    n.author = open.me;
    n.is_private = input.is_private;
    n.ciphertext = sealed.ciphertext;
    n.nonce = sealed.nonce;
    n.created_at = n.updated_at = now;
    n.id = tx.InsertNote(n);
    tx.AppendAudit({0, now, caller.Actor(), "note.add", "tandem", id, "note " + Id(n.id)});
    view = {n, input.title, input.text, input.action_items};
    view.note.ciphertext.clear();
    view.note.nonce.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<NoteView> Workspace::ChangeNote(const Caller& caller, RowId id, RowId note_id,
                                       const NoteInput& input, std::int64_t if_match) {
  if (Status s = CheckNote(input); !s.ok()) return s;
  NoteView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    std::optional<NoteRecord> n = open.FindNote(tx, note_id);
    if (!n) return Status::NotFound("note " + Id(note_id) + " not found");
    if (if_match != kAnyVersion && n->version != if_match) {
      return Status::FailedPrecondition("the note changed since it was read (version " +
                                        Id(n->version) + " now)");
    }
    const Sealed sealed = open.Seal(NotePlain(input), kNotePurpose);
    n->ciphertext = sealed.ciphertext;
    n->nonce = sealed.nonce;
    n->updated_at = now;
    if (!tx.UpdateNote(*n)) return Status::FailedPrecondition("the note changed since it was read");
    ++n->version;
    tx.AppendAudit({0, now, caller.Actor(), "note.change", "tandem", id, "note " + Id(note_id)});
    view = {*n, input.title, input.text, input.action_items};
    view.note.ciphertext.clear();
    view.note.nonce.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Status Workspace::DeleteNote(const Caller& caller, RowId id, RowId note_id) {
  const Millis now = clock_.Now();
  return WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    if (!open.FindNote(tx, note_id)) return Status::NotFound("note " + Id(note_id) + " not found");
    tx.DeleteNote(note_id);
    tx.AppendAudit({0, now, caller.Actor(), "note.delete", "tandem", id, "note " + Id(note_id)});
    return Status::Ok();
  });
}

// ---- Meetings

std::vector<AgendaItem> MeetingTemplate() {
  return {{"theory", ""}, {"demo", ""}, {"hands_on", ""}, {"discussion", ""}};
}

Result<std::vector<MeetingView>> Workspace::ListMeetings(const Caller& caller, RowId id) {
  std::vector<MeetingView> meetings;
  const Status status = WithContent(caller, id, false, [&](StoreTx& tx, Open& open) {
    for (const MeetingRecord& m : tx.ListMeetings(id)) {
      Result<MeetingView> v = open.View(m);
      if (!v.ok()) return v.status();
      meetings.push_back(std::move(v).value());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return meetings;
}

Result<MeetingView> Workspace::GetMeeting(const Caller& caller, RowId id, RowId meeting_id) {
  MeetingView view;
  const Status status = WithContent(caller, id, false, [&](StoreTx& tx, Open& open) {
    const std::optional<MeetingRecord> m = open.FindMeeting(tx, meeting_id);
    if (!m) return Status::NotFound("meeting " + Id(meeting_id) + " not found");
    Result<MeetingView> v = open.View(*m);
    if (!v.ok()) return v.status();
    view = std::move(v).value();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<MeetingView> Workspace::ProposeMeeting(const Caller& caller, RowId id,
                                              const MeetingInput& input) {
  if (Status s = CheckMeeting(input); !s.ok()) return s;
  MeetingView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    const std::vector<AgendaItem> agenda = input.agenda.value_or(MeetingTemplate());
    const Sealed sealed = open.Seal(MeetingPlain(input, agenda), kMeetingPurpose);
    MeetingRecord m;
    m.tandem = id;
    m.state = MeetingState::kProposed;
    m.starts_at = input.starts_at;
    m.duration_minutes = input.duration_minutes;
    m.time_zone = input.time_zone;
    m.proposed_by = open.me;
    m.ciphertext = sealed.ciphertext;
    m.nonce = sealed.nonce;
    m.created_at = m.updated_at = now;
    m.id = tx.InsertMeeting(m);
    tx.AppendAudit(
        {0, now, caller.Actor(), "meeting.propose", "tandem", id, "meeting " + Id(m.id)});
    view = {m, input.place, input.video_link, agenda};
    view.meeting.ciphertext.clear();
    view.meeting.nonce.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<MeetingView> Workspace::ChangeMeeting(const Caller& caller, RowId id, RowId meeting_id,
                                             const MeetingInput& input, std::int64_t if_match) {
  if (Status s = CheckMeeting(input); !s.ok()) return s;
  MeetingView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    std::optional<MeetingRecord> m = open.FindMeeting(tx, meeting_id);
    if (!m) return Status::NotFound("meeting " + Id(meeting_id) + " not found");
    if (if_match != kAnyVersion && m->version != if_match) {
      return Status::FailedPrecondition("the meeting changed since it was read (version " +
                                        Id(m->version) + " now)");
    }
    if (m->state == MeetingState::kCancelled || m->state == MeetingState::kHeld) {
      return Status::Conflict("meeting " + Id(meeting_id) + " is " +
                              std::string(ToString(m->state)) + " and no longer changes");
    }
    Result<MeetingView> before = open.View(*m);
    if (!before.ok()) return before.status();
    const std::vector<AgendaItem> agenda = input.agenda.value_or(before.value().agenda);
    // Another time is a new proposal: the partner accepts it again.
    if (m->starts_at != input.starts_at || m->duration_minutes != input.duration_minutes ||
        m->time_zone != input.time_zone) {
      m->state = MeetingState::kProposed;
      m->proposed_by = open.me;
    }
    m->starts_at = input.starts_at;
    m->duration_minutes = input.duration_minutes;
    m->time_zone = input.time_zone;
    const Sealed sealed = open.Seal(MeetingPlain(input, agenda), kMeetingPurpose);
    m->ciphertext = sealed.ciphertext;
    m->nonce = sealed.nonce;
    m->updated_at = now;
    if (!tx.UpdateMeeting(*m)) {
      return Status::FailedPrecondition("the meeting changed since it was read");
    }
    ++m->version;
    tx.AppendAudit(
        {0, now, caller.Actor(), "meeting.change", "tandem", id, "meeting " + Id(meeting_id)});
    view = {*m, input.place, input.video_link, agenda};
    view.meeting.ciphertext.clear();
    view.meeting.nonce.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<MeetingView> Workspace::MeetingStep(
    const Caller& caller, RowId id, RowId meeting_id, std::string_view action,
    const std::function<Status(MeetingRecord&, RowId me)>& step) {
  MeetingView view;
  const Millis now = clock_.Now();
  const Status status = WithContent(caller, id, true, [&](StoreTx& tx, Open& open) {
    std::optional<MeetingRecord> m = open.FindMeeting(tx, meeting_id);
    if (!m) return Status::NotFound("meeting " + Id(meeting_id) + " not found");
    const MeetingState before = m->state;
    if (Status s = step(*m, open.me); !s.ok()) return s;
    if (m->state != before) {
      m->updated_at = now;
      if (!tx.UpdateMeeting(*m)) return Status::Conflict("the meeting changed; try again");
      ++m->version;
      // The tandem's counter for the team's aggregate, in the same transaction; never counted
      // down (docs/privacy.md).
      if (m->state == MeetingState::kHeld) tx.CountMeetingHeld(id);
      tx.AppendAudit({0, now, caller.Actor(), "meeting." + std::string(action), "tandem", id,
                      "meeting " + Id(meeting_id)});
    }
    Result<MeetingView> v = open.View(*m);
    if (!v.ok()) return v.status();
    view = std::move(v).value();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

namespace {

Status MeetingConflict(const MeetingRecord& m, std::string_view why) {
  return Status::Conflict("meeting " + Id(m.id) + " is " + std::string(ToString(m.state)) + ": " +
                          std::string(why));
}

}  // namespace

Result<MeetingView> Workspace::AcceptMeeting(const Caller& caller, RowId id, RowId meeting) {
  return MeetingStep(caller, id, meeting, "accept", [](MeetingRecord& m, RowId me) {
    if (m.state == MeetingState::kAccepted) return Status::Ok();
    if (m.state != MeetingState::kProposed)
      return MeetingConflict(m, "it can no longer be accepted");
    if (m.proposed_by == me) {
      return MeetingConflict(m, "you proposed it; your partner accepts it");
    }
    m.state = MeetingState::kAccepted;
    return Status::Ok();
  });
}

Result<MeetingView> Workspace::CancelMeeting(const Caller& caller, RowId id, RowId meeting) {
  return MeetingStep(caller, id, meeting, "cancel", [](MeetingRecord& m, RowId) {
    if (m.state == MeetingState::kCancelled) return Status::Ok();
    if (m.state == MeetingState::kHeld) return MeetingConflict(m, "it can no longer be cancelled");
    m.state = MeetingState::kCancelled;
    return Status::Ok();
  });
}

Result<MeetingView> Workspace::MarkMeetingHeld(const Caller& caller, RowId id, RowId meeting) {
  const Millis now = clock_.Now();
  return MeetingStep(caller, id, meeting, "held", [now](MeetingRecord& m, RowId) {
    if (m.state == MeetingState::kHeld) return Status::Ok();
    if (m.state == MeetingState::kCancelled) return MeetingConflict(m, "it was not held");
    if (m.starts_at > now) return MeetingConflict(m, "it has not started yet");
    m.state = MeetingState::kHeld;
    return Status::Ok();
  });
}

Result<std::string> Workspace::MeetingCalendar(const Caller& caller, RowId id, RowId meeting) {
  Result<MeetingView> view = GetMeeting(caller, id, meeting);
  if (!view.ok()) return view.status();
  const MeetingView& v = view.value();
  const bool english = caller.language == Language::kEnglish;
  CalendarEvent event;
  event.uid = MeetingUid(id, meeting);
  event.starts_at = v.meeting.starts_at;
  event.duration_minutes = v.meeting.duration_minutes;
  event.time_zone = v.meeting.time_zone;
  event.summary = english ? "Tandem meeting" : "Tandem-Treffen";
  event.location = v.place.empty() ? v.video_link : v.place;
  event.url = v.video_link;
  for (const AgendaItem& a : v.agenda) {
    event.description += "- " + a.kind + (a.text.empty() ? "" : ": " + a.text) + "\n";
  }
  if (!v.video_link.empty()) event.description += v.video_link + "\n";
  event.status = CalendarStatus(v.meeting.state);
  event.sequence = v.meeting.version;
  event.stamp = clock_.Now();
  return RenderCalendar(event);
}

// ---- The calendar feed

namespace {

Status CheckOwnPerson(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated("sign in first");
  if (caller.api_token != 0 || !caller.person) {
    return Status::PermissionDenied(
        "calendar feeds are for participants in a browser session, not API tokens or accounts "
        "without a person");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> Workspace::CreateCalendarFeed(const Caller& caller) {
  if (Status s = CheckOwnPerson(caller); !s.ok()) return s;
  std::string token = RandomToken();
  const Millis now = clock_.Now();
  const Status status = store_.Write([&](StoreTx& tx) {
    tx.PutCalendarFeed(*caller.person, HashToken(token), now);
    tx.AppendAudit({0, now, caller.Actor(), "calendar_feed.create", "person", *caller.person, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return token;
}

Status Workspace::RevokeCalendarFeed(const Caller& caller) {
  if (Status s = CheckOwnPerson(caller); !s.ok()) return s;
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    if (tx.DeleteCalendarFeed(*caller.person)) {
      tx.AppendAudit(
          {0, now, caller.Actor(), "calendar_feed.revoke", "person", *caller.person, ""});
    }
    return Status::Ok();
  });
}

Result<std::string> Workspace::CalendarFeed(std::string_view token) {
  std::vector<CalendarEvent> events;
  const Millis now = clock_.Now();
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<RowId> person =
        token.empty() ? std::nullopt : tx.FindCalendarFeedPerson(HashToken(token));
    if (!person) return Status::NotFound("no such calendar feed (revoked?)");
    for (const TandemRecord& t : tx.ListTandemsOfPerson(*person)) {
      for (const MeetingRecord& m : tx.ListMeetings(t.id)) {
        CalendarEvent e;
        e.uid = MeetingUid(t.id, m.id);
        e.starts_at = m.starts_at;
        e.duration_minutes = m.duration_minutes;
        e.time_zone = m.time_zone;
        e.summary = "Tandem";
        e.description = "Place, link and agenda: in Tandem, after signing in.";
        e.status = CalendarStatus(m.state);
        e.sequence = m.version;
        e.stamp = now;
        events.push_back(std::move(e));
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return RenderCalendar(events);
}

// ---- Asks to leadership

Result<LeadershipAskRecord> Workspace::SendAsk(const Caller& caller, RowId id,
                                               const AskInput& input) {
  if (Status s = CheckText("text", input.text, kMaxAskLength, true); !s.ok()) return s;
  LeadershipAskRecord ask;
  bool denied = false;
  const Millis now = clock_.Now();
  const Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (Status s = CheckPartner(caller, t, id, &denied); !s.ok()) return s;
    if (t->state != TandemState::kActive) {
      return Status::Conflict("tandem " + Id(id) + " is " + std::string(ToString(t->state)) +
                              ": asks to leadership come from active tandems");
    }
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(t->programme);
    if (!p) return TandemNotFound(id);
    for (size_t i = 0; i < input.topics.size(); ++i) {
      const bool known =
          std::any_of(p->topics.begin(), p->topics.end(),
                      [&](const ProgrammeTopic& pt) { return pt.key == input.topics[i]; });
      if (!known) {
        return Status::InvalidArgument("topics[" + std::to_string(i) +
                                       "]: not a topic of the programme");
      }
    }
    ask.programme = t->programme;
    if (input.named) ask.author = *caller.person;
    ask.topics = input.topics;
    ask.text = input.text;
    ask.created_at = now;
    ask.id = tx.InsertLeadershipAsk(ask);
    // The audit entry names neither the tandem nor the caller of an anonymous ask.
    tx.AppendAudit({0, now, input.named ? caller.Actor() : "anonymous", "ask.send", "programme",
                    t->programme, "ask " + Id(ask.id)});
    return Status::Ok();
  });
  if (denied) return AuditDenial(store_, clock_, caller, "asks.send", "tandem", id, status);
  if (!status.ok()) return status;
  return ask;
}

// ---- Retention and keys

Result<std::int64_t> Workspace::EraseExpired() {
  std::int64_t erased = 0;
  const Millis now = clock_.Now();
  const Status status = store_.Write([&](StoreTx& tx) {
    erased = 0;
    for (const WorkspaceRecord& w : tx.ListKeyedWorkspaces()) {
      const std::optional<TandemRecord> t = tx.FindTandem(w.tandem);
      if (!t || t->state == TandemState::kActive || !t->ended_at) continue;
      const std::optional<ProgrammeRecord> p = tx.FindProgramme(t->programme);
      const Millis keep = (p ? p->retention_months : 12) * kMonth;
      if (*t->ended_at + keep > now) continue;
      if (tx.EraseWorkspace(w.tandem, now)) {
        ++erased;
        tx.AppendAudit({0, now, "system", "workspace.erase", "tandem", w.tandem, "retention"});
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return erased;
}

Result<std::int64_t> RotateMasterKey(Store& store, const SecretKey& current, const SecretKey& next,
                                     Millis now) {
  std::int64_t rewrapped = 0;
  const Status status = store.Write([&](StoreTx& tx) {
    rewrapped = 0;
    for (WorkspaceRecord w : tx.ListKeyedWorkspaces()) {
      if (w.master_key_id == next.Id()) continue;  // a rotation that stopped half-way: done
      Result<SecretKey> key = UnwrapKey(current, w.wrapped_key);
      if (!key.ok()) {
        return Status::Internal("the key of tandem " + Id(w.tandem) +
                                " does not open with the current master key: nothing changed");
      }
      w.wrapped_key = WrapKey(next, key.value());
      w.master_key_id = next.Id();
      if (!tx.UpdateWorkspace(w)) return Status::Conflict("a workspace changed; run it again");
      ++rewrapped;
    }
    tx.AppendAudit({0, now, "cli", "keys.rotate", "workspace", std::nullopt,
                    "rewrapped " + std::to_string(rewrapped) + ", master key " + next.Id()});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rewrapped;
}

Result<bool> EraseTandemContent(Store& store, RowId tandem, std::string_view actor, Millis now) {
  bool erased = false;
  const Status status = store.Write([&](StoreTx& tx) {
    erased = tx.EraseWorkspace(tandem, now);
    if (erased) {
      tx.AppendAudit({0, now, std::string(actor), "workspace.erase", "tandem", tandem, "erasure"});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return erased;
}

}  // namespace tandem
