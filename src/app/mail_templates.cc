#include "app/mail_templates.h"

#include <fmt/format.h>

#include <utility>

namespace tandem {
namespace {

// The wording of one mail; "{}" in `validity` stands for the duration.
struct Wording {
  std::string_view subject;
  std::string_view lead;  // what happened and what the link does
  std::string_view action;
  std::string_view validity;
  std::string_view not_you;  // what to do when the mail was not expected
};

struct Frame {
  std::string_view lang;
  std::string_view greeting_named;  // "{}" stands for the name
  std::string_view greeting_neutral;
  std::string_view button_fallback;
  std::string_view closing;
  std::string_view team;
  std::string_view automatic;
};

constexpr Frame kGermanFrame = {
    "de",
    "Hallo {},",
    "Guten Tag,",
    "Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:",
    "Viele Grüße",
    "Ihr Tandem-Team",
    "Diese E-Mail wurde automatisch von Tandem versendet. Bitte antworten Sie nicht darauf.",
};

constexpr Frame kEnglishFrame = {
    "en",
    "Hello {},",
    "Hello,",
    "If the button does not work, copy this link into your browser:",
    "Best regards,",
    "Your Tandem team",
    "This e-mail was sent automatically by Tandem. Please do not reply to it.",
};

Wording GermanWording(MailKind kind) {
  switch (kind) {
    case MailKind::kInvitation:
      return {"Ihre Einladung zu Tandem",
              "Sie sind herzlich zu Tandem eingeladen, unserem Reverse-Mentoring-Programm: "
              "Nachwuchsexpertinnen und -experten begleiten Führungskräfte bei digitalen Themen. "
              "Über den folgenden Link legen Sie Ihr Passwort fest oder melden sich direkt an.",
              "Einladung annehmen", "Der Link ist {} gültig und kann nur einmal verwendet werden.",
              "Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail einfach "
              "ignorieren."};
    case MailKind::kSignInLink:
      return {"Ihr Anmeldelink für Tandem",
              "Sie haben einen Link zur Anmeldung bei Tandem angefordert. Ein Klick auf den "
              "folgenden Link meldet Sie an.",
              "Jetzt anmelden", "Der Link ist {} gültig und kann nur einmal verwendet werden.",
              "Wenn Sie keinen Anmeldelink angefordert haben, ignorieren Sie diese E-Mail bitte. "
              "An Ihrem Zugang ändert sich nichts."};
    case MailKind::kPasswordReset:
      return {"Passwort für Tandem zurücksetzen",
              "Sie möchten Ihr Passwort für Tandem zurücksetzen. Über den folgenden Link wählen "
              "Sie ein neues Passwort.",
              "Neues Passwort festlegen",
              "Der Link ist {} gültig und kann nur einmal verwendet werden.",
              "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail bitte. Ihr "
              "bisheriges Passwort bleibt gültig."};
    case MailKind::kAdminSetup:
      return {"Tandem einrichten: Ihr Administrationszugang",
              "Tandem ist installiert, und Sie sind als erste Person mit Administrationsrechten "
              "vorgesehen. Über den folgenden Link legen Sie Ihr Passwort fest und richten Tandem "
              "ein.",
              "Tandem einrichten", "Der Link ist {} gültig und kann nur einmal verwendet werden.",
              "Wenn Sie diese E-Mail nicht erwartet haben, leiten Sie sie bitte nicht weiter und "
              "informieren Sie Ihre IT-Abteilung."};
    case MailKind::kProposal:
      return {"Ihr Tandem-Vorschlag ist da",
              "Das Programmteam hat Ihnen eine Tandempartnerin oder einen Tandempartner "
              "vorgeschlagen. Unter dem folgenden Link sehen Sie, warum Sie beide gut "
              "zusammenpassen, und nehmen den Vorschlag an oder lehnen ihn ab. Die Teilnahme ist "
              "freiwillig; einen Grund für eine Absage sieht nur das Programmteam.",
              "Vorschlag ansehen", "Der Link führt zur Anmeldung, falls Sie nicht angemeldet sind.",
              "Wenn Sie nicht an Tandem teilnehmen, ignorieren Sie diese E-Mail bitte."};
    case MailKind::kPartnerRequest:
      return {"Eine Tandem-Anfrage an Sie",
              "Jemand aus Ihrem Tandem-Programm möchte mit Ihnen ein Tandem bilden. Unter dem "
              "folgenden Link sehen Sie die Anfrage mit den gemeinsamen Themen und nehmen sie an "
              "oder lehnen sie ab.",
              "Anfrage ansehen", "Der Link führt zur Anmeldung, falls Sie nicht angemeldet sind.",
              "Wenn Sie nicht an Tandem teilnehmen, ignorieren Sie diese E-Mail bitte."};
  }
  return {};
}

Wording EnglishWording(MailKind kind) {
  switch (kind) {
    case MailKind::kInvitation:
      return {"Your invitation to Tandem",
              "You are warmly invited to Tandem, our reverse mentoring programme: junior experts "
              "accompany leaders on digital topics. Use the link below to set your password or "
              "to sign in straight away.",
              "Accept invitation", "The link is valid for {} and can be used only once.",
              "If you did not expect this invitation, you can simply ignore this e-mail."};
    case MailKind::kSignInLink:
      return {"Your sign-in link for Tandem",
              "You asked for a link to sign in to Tandem. Clicking the link below signs you in.",
              "Sign in now", "The link is valid for {} and can be used only once.",
              "If you did not ask for a sign-in link, please ignore this e-mail. Nothing changes "
              "for your account."};
    case MailKind::kPasswordReset:
      return {"Reset your Tandem password",
              "You asked to reset your password for Tandem. Use the link below to choose a new "
              "one.",
              "Choose a new password", "The link is valid for {} and can be used only once.",
              "If you did not ask for this, please ignore this e-mail. Your current password "
              "stays valid."};
    case MailKind::kAdminSetup:
      return {"Set up Tandem: your administrator access",
              "Tandem has been installed, and you are its first administrator. Use the link "
              "below to set your password and set up Tandem.",
              "Set up Tandem", "The link is valid for {} and can be used only once.",
              "If you did not expect this e-mail, please do not forward it and let your IT "
              "department know."};
    case MailKind::kProposal:
      return {"Your tandem proposal has arrived",
              "The programme team has proposed a tandem partner for you. Follow the link below to "
              "see why the two of you fit, and accept or decline the proposal. Taking part is "
              "voluntary; a reason for declining is seen by the programme team only.",
              "See the proposal", "The link asks you to sign in if you are not signed in.",
              "If you do not take part in Tandem, please ignore this e-mail."};
    case MailKind::kPartnerRequest:
      return {"A tandem request for you",
              "Someone in your Tandem programme would like to form a tandem with you. Follow the "
              "link below to see the request with your shared topics, and accept or decline it.",
              "See the request", "The link asks you to sign in if you are not signed in.",
              "If you do not take part in Tandem, please ignore this e-mail."};
  }
  return {};
}

// A display name comes from user data: no line breaks or other control characters in a mail.
std::string CleanName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string Greeting(const Frame& frame, const std::string& name) {
  if (name.empty()) return std::string(frame.greeting_neutral);
  return fmt::format(fmt::runtime(frame.greeting_named), name);
}

std::string RenderText(const Frame& frame, const Wording& w, const std::string& greeting,
                       std::string_view link, const std::string& validity) {
  return fmt::format("{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}\n{}\n\n-- \n{}\n", greeting, w.lead, link,
                     validity, w.not_you, frame.closing, frame.team, frame.automatic);
}

std::string RenderHtml(const Frame& frame, const Wording& w, const std::string& greeting,
                       std::string_view link, const std::string& validity) {
  const std::string href = EscapeHtml(link);
  return fmt::format(
      "<!DOCTYPE html>\n"
      "<html lang=\"{lang}\">\n"
      "<head>\n"
      "<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{subject}</title>\n"
      "</head>\n"
      "<body style=\"margin:0;padding:24px;background:#f4f5f7;"
      "font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2933\">\n"
      "<div style=\"max-width:560px;margin:0 auto;padding:32px;background:#ffffff;"
      "border-radius:8px\">\n"
      "<p>{greeting}</p>\n"
      "<p>{lead}</p>\n"
      "<p style=\"margin:32px 0;text-align:center\"><a href=\"{href}\" "
      "style=\"display:inline-block;padding:12px 24px;background:#0b5cad;color:#ffffff;"
      "text-decoration:none;border-radius:6px;font-weight:bold\">{action}</a></p>\n"
      "<p>{validity}</p>\n"
      "<p style=\"font-size:14px;color:#52606d\">{fallback}<br>\n"
      "<a href=\"{href}\" style=\"color:#0b5cad;word-break:break-all\">{href}</a></p>\n"
      "<p>{not_you}</p>\n"
      "<p>{closing}<br>\n{team}</p>\n"
      "</div>\n"
      "<p style=\"max-width:560px;margin:16px auto 0;font-size:12px;color:#7b8794;"
      "text-align:center\">{automatic}</p>\n"
      "</body>\n"
      "</html>\n",
      fmt::arg("lang", frame.lang), fmt::arg("subject", EscapeHtml(w.subject)),
      fmt::arg("greeting", EscapeHtml(greeting)), fmt::arg("lead", EscapeHtml(w.lead)),
      fmt::arg("href", href), fmt::arg("action", EscapeHtml(w.action)),
      fmt::arg("validity", EscapeHtml(validity)),
      fmt::arg("fallback", EscapeHtml(frame.button_fallback)),
      fmt::arg("not_you", EscapeHtml(w.not_you)), fmt::arg("closing", EscapeHtml(frame.closing)),
      fmt::arg("team", EscapeHtml(frame.team)), fmt::arg("automatic", EscapeHtml(frame.automatic)));
}

}  // namespace

MailRecord OutboxMail(std::string to_address, const MailContent& content, Millis now,
                      std::optional<RowId> programme) {
  MailRecord mail;
  mail.programme = programme;
  mail.to_address = std::move(to_address);
  mail.subject = content.subject;
  mail.text_body = content.text;
  mail.html_body = content.html;
  mail.created_at = mail.next_attempt_at = now;
  return mail;
}

std::string DescribeDuration(int minutes, Language language) {
  const bool german = language == Language::kGerman;
  constexpr int kHour = 60;
  constexpr int kDay = 24 * kHour;
  if (minutes > 0 && minutes % kDay == 0) {
    const int days = minutes / kDay;
    if (german) return fmt::format("{} {}", days, days == 1 ? "Tag" : "Tage");
    return fmt::format("{} {}", days, days == 1 ? "day" : "days");
  }
  if (minutes > 0 && minutes % kHour == 0) {
    const int hours = minutes / kHour;
    if (german) return fmt::format("{} {}", hours, hours == 1 ? "Stunde" : "Stunden");
    return fmt::format("{} {}", hours, hours == 1 ? "hour" : "hours");
  }
  if (german) return fmt::format("{} {}", minutes, minutes == 1 ? "Minute" : "Minuten");
  return fmt::format("{} {}", minutes, minutes == 1 ? "minute" : "minutes");
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

MailContent RenderMail(MailKind kind, Language language, std::string_view name,
                       std::string_view link, int valid_minutes) {
  const bool german = language == Language::kGerman;
  const Frame& frame = german ? kGermanFrame : kEnglishFrame;
  const Wording wording = german ? GermanWording(kind) : EnglishWording(kind);
  const std::string greeting = Greeting(frame, CleanName(name));
  const std::string validity =
      fmt::format(fmt::runtime(wording.validity), DescribeDuration(valid_minutes, language));
  MailContent mail;
  mail.subject = std::string(wording.subject);
  mail.text = RenderText(frame, wording, greeting, link, validity);
  mail.html = RenderHtml(frame, wording, greeting, link, validity);
  return mail;
}

namespace {

// A mail whose lead is made for the occasion; the other paragraphs come from `wording`.
MailContent RenderWithLead(Language language, Wording wording, const std::string& lead,
                           std::string_view name, std::string_view link) {
  const Frame& frame = language == Language::kGerman ? kGermanFrame : kEnglishFrame;
  wording.lead = lead;
  const std::string greeting = Greeting(frame, CleanName(name));
  const std::string closing_note(wording.validity);
  MailContent mail;
  mail.subject = std::string(wording.subject);
  mail.text = RenderText(frame, wording, greeting, link, closing_note);
  mail.html = RenderHtml(frame, wording, greeting, link, closing_note);
  return mail;
}

}  // namespace

MailContent RenderMeetingReminder(Language language, std::string_view name,
                                  std::string_view partner, std::string_view when,
                                  std::string_view link) {
  const std::string other = CleanName(partner);
  if (language == Language::kGerman) {
    return RenderWithLead(
        language,
        {"Erinnerung: Ihr Tandem-Treffen morgen", "", "Zum Tandem",
         "Ort, Videolink und Agenda finden Sie nach der Anmeldung in Ihrem Tandem.",
         "Sie erhalten diese Erinnerung, weil Sie das Treffen in Tandem vereinbart haben."},
        fmt::format("morgen treffen Sie sich mit {}: {}.", other.empty() ? "Ihrem Tandem" : other,
                    when),
        name, link);
  }
  return RenderWithLead(
      language,
      {"Reminder: your tandem meeting tomorrow", "", "Open your tandem",
       "Place, video link and agenda are in your tandem after signing in.",
       "You receive this reminder because you agreed on the meeting in Tandem."},
      fmt::format("Tomorrow you meet {}: {}.", other.empty() ? "your tandem partner" : other, when),
      name, link);
}

MailContent RenderCadenceNudge(Language language, std::string_view name, std::string_view partner,
                               int weeks, std::string_view link) {
  const std::string other = CleanName(partner);
  if (language == Language::kGerman) {
    const std::string span = fmt::format("{} {}", weeks, weeks == 1 ? "Woche" : "Wochen");
    return RenderWithLead(
        language,
        {"Zeit für Ihr nächstes Tandem-Treffen?", "", "Treffen planen",
         "Ein Treffen von etwa einer Stunde genügt; Sie schlagen es in Ihrem Tandem vor.",
         "Sie erhalten diese Nachricht, weil Sie an einem Tandem teilnehmen. Sie geht an Sie "
         "beide und an niemanden sonst."},
        fmt::format("seit {} haben Sie und {} kein Tandem-Treffen gehalten oder geplant. Wie "
                    "wäre es mit einem Termin in den nächsten Wochen?",
                    span, other.empty() ? "Ihr Tandem" : other),
        name, link);
  }
  const std::string span = fmt::format("{} {}", weeks, weeks == 1 ? "week" : "weeks");
  return RenderWithLead(
      language,
      {"Time for your next tandem meeting?", "", "Plan a meeting",
       "About an hour is enough; propose it in your tandem.",
       "You receive this message because you take part in a tandem. It goes to the two of you "
       "and nobody else."},
      fmt::format("For {} you and {} have neither held nor planned a tandem meeting. How about "
                  "a date in the coming weeks?",
                  span, other.empty() ? "your tandem partner" : other),
      name, link);
}

MailContent RenderTandemDissolved(Language language, std::string_view name,
                                  std::string_view partner, std::string_view link) {
  const std::string other = CleanName(partner);
  if (language == Language::kGerman) {
    return RenderWithLead(
        language,
        {"Ihr Tandem wurde beendet", "", "Zum Tandem",
         "Was Sie im Tandem festgehalten haben, können Sie weiterhin lesen, aber nicht mehr "
         "ändern. Vielen Dank für Ihre Zeit und Ihr Engagement.",
         "Sie erhalten diese Nachricht, weil Sie an diesem Tandem teilgenommen haben."},
        fmt::format("{} hat Ihr gemeinsames Tandem vorzeitig beendet.",
                    other.empty() ? "Ihr Tandem-Partner" : other),
        name, link);
  }
  return RenderWithLead(
      language,
      {"Your tandem has ended", "", "Open your tandem",
       "You can still read what you recorded in the tandem, but no longer change it. Thank you "
       "for your time and commitment.",
       "You receive this message because you took part in this tandem."},
      fmt::format("{} has ended your tandem early.", other.empty() ? "Your tandem partner" : other),
      name, link);
}

namespace {

std::string SurveyName(Language language, SurveyKind kind) {
  if (language == Language::kGerman) {
    return kind == SurveyKind::kFinal ? "Abschlussbefragung" : "Zwischenbefragung";
  }
  return kind == SurveyKind::kFinal ? "final survey" : "mid-term survey";
}

}  // namespace

MailContent RenderSurveyInvitation(Language language, std::string_view name,
                                   std::string_view programme, SurveyKind kind,
                                   std::string_view link) {
  const std::string where = CleanName(programme);
  const std::string survey = SurveyName(language, kind);
  if (language == Language::kGerman) {
    return RenderWithLead(
        language,
        {"Ihre Meinung zu Tandem: die " + survey, "", "Zur Befragung",
         "Die Befragung dauert etwa fünf Minuten. Ihre Antworten werden nur in Gruppen "
         "ausgewertet, die groß genug sind, dass niemand erkennbar ist; Ihr Name erscheint "
         "nirgends.",
         "Sie erhalten diese Nachricht, weil Sie an einem Tandem dieses Programms teilnehmen."},
        fmt::format("die {} zum Programm „{}“ ist geöffnet. Wie erleben Sie Ihr Tandem, und was "
                    "haben Sie gelernt? Ihre Antworten helfen, das Programm zu verbessern.",
                    survey, where),
        name, link);
  }
  return RenderWithLead(
      language,
      {"Your view of Tandem: the " + survey, "", "Open the survey",
       "The survey takes about five minutes. Your answers are evaluated only in groups large "
       "enough that nobody can be recognised; your name appears nowhere.",
       "You receive this message because you take part in a tandem of this programme."},
      fmt::format("The {} of the programme \"{}\" is open. How do you experience your tandem, "
                  "and what have you learned? Your answers help to improve the programme.",
                  survey, where),
      name, link);
}

MailContent RenderSurveyReminder(Language language, std::string_view name,
                                 std::string_view programme, SurveyKind kind,
                                 std::string_view link) {
  const std::string where = CleanName(programme);
  const std::string survey = SurveyName(language, kind);
  if (language == Language::kGerman) {
    return RenderWithLead(
        language,
        {"Erinnerung: die " + survey + " zu Tandem", "", "Zur Befragung",
         "Dies ist die einzige Erinnerung. Ihre Antworten werden nur in Gruppen ausgewertet, "
         "die groß genug sind, dass niemand erkennbar ist.",
         "Sie erhalten diese Nachricht, weil Sie an einem Tandem dieses Programms teilnehmen und "
         "die Befragung noch nicht beantwortet haben."},
        fmt::format("die {} zum Programm „{}“ ist noch geöffnet. Wenn Sie sich fünf Minuten "
                    "Zeit nehmen, freuen wir uns über Ihre Antworten.",
                    survey, where),
        name, link);
  }
  return RenderWithLead(
      language,
      {"Reminder: the Tandem " + survey, "", "Open the survey",
       "This is the only reminder. Your answers are evaluated only in groups large enough that "
       "nobody can be recognised.",
       "You receive this message because you take part in a tandem of this programme and have "
       "not answered the survey yet."},
      fmt::format("The {} of the programme \"{}\" is still open. If you can spare five "
                  "minutes, we would be glad to have your answers.",
                  survey, where),
      name, link);
}

}  // namespace tandem
