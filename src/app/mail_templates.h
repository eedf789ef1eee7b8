// The e-mails Tandem sends, in German and English, as plain text and HTML. Pure functions:
// no I/O, no clock. The outbox (StoreTx::EnqueueMail) stores what RenderMail returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/store.h"

namespace tandem {

enum class MailKind {
  kInvitation,      // an account was created for the person: set a password or sign in
  kSignInLink,      // a one-time link that signs the person in
  kPasswordReset,   // a one-time link to choose a new password
  kAdminSetup,      // the first system administrator sets up Tandem
  kProposal,        // a matching run proposed a tandem: see it, accept or decline
  kPartnerRequest,  // someone asks the person to form a tandem (open programmes)
};

struct MailContent {
  std::string subject;  // one line, UTF-8
  std::string text;     // plain text, UTF-8, "\n" line ends
  std::string html;     // a complete HTML document, UTF-8
};

// The mail of `kind` in `language`. `name` is the recipient's display name (may be empty: then
// the greeting is neutral); `link` is the full URL the mail points to; `valid_minutes` (> 0) is
// how long the link works, rendered as e.g. "15 Minuten" / "2 hours" / "7 days". The HTML
// escapes `name` and `link`. The result holds the link: never log it.
MailContent RenderMail(MailKind kind, Language language, std::string_view name,
                       std::string_view link, int valid_minutes);

// The reminder the day before a planned meeting (issue 7): when it starts (`when`, already in
// the meeting's time zone, e.g. "Dienstag, 03.03.2027, 10:00 (Europe/Berlin)") and with whom.
// Never place, video link or agenda: those stay in the workspace (docs/privacy.md). `name` is
// the recipient's, `partner` the other partner's display name; `link` the tandem's workspace.
MailContent RenderMeetingReminder(Language language, std::string_view name,
                                  std::string_view partner, std::string_view when,
                                  std::string_view link);

// The gentle nudge when a tandem has held or planned no meeting for `weeks` weeks (> 0).
MailContent RenderCadenceNudge(Language language, std::string_view name, std::string_view partner,
                               int weeks, std::string_view link);

// To the other partner when one partner ends their tandem early (issue 7): who ended it, and
// that what they wrote stays readable. Never the reason (for the programme team only) and no
// workspace content (docs/privacy.md). `name` is the recipient's, `partner` the partner's who
// ended it; `link` the tandem's page.
MailContent RenderTandemDissolved(Language language, std::string_view name,
                                  std::string_view partner, std::string_view link);

// The invitation to a programme's survey (issue 8) and the one reminder to those who have not
// answered after a week. `programme` is the programme's name; `link` the survey's page. The
// mail says that answers are evaluated only in groups (docs/reports.md), never more.
MailContent RenderSurveyInvitation(Language language, std::string_view name,
                                   std::string_view programme, SurveyKind kind,
                                   std::string_view link);
MailContent RenderSurveyReminder(Language language, std::string_view name,
                                 std::string_view programme, SurveyKind kind,
                                 std::string_view link);

// The outbox row for `content` to `to_address`, due at `now`.
// `programme`: the programme the mail is about, if any (its waiting mails go at the end of the
// programme's retention period).
MailRecord OutboxMail(std::string to_address, const MailContent& content, Millis now,
                      std::optional<RowId> programme = std::nullopt);

// `minutes` as words: "1 Minute", "15 Minuten", "2 Stunden", "7 Tage" / "1 minute", "2 hours",
// "1 day". Whole hours and days are named as such; anything else in minutes.
std::string DescribeDuration(int minutes, Language language);

// `text` with &, <, >, " and ' replaced by character references: safe in HTML text and in
// quoted attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace tandem
