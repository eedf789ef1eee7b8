#include "app/mail_templates.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tandem {
namespace {

constexpr MailKind kAllKinds[] = {MailKind::kInvitation, MailKind::kSignInLink,
                                  MailKind::kPasswordReset, MailKind::kAdminSetup};
constexpr Language kAllLanguages[] = {Language::kGerman, Language::kEnglish};

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(EscapeHtml, ReplacesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(EscapeHtml, LeavesOtherTextAloneIncludingUtf8) {
  EXPECT_EQ(EscapeHtml(""), "");
  EXPECT_EQ(EscapeHtml("Jürgen Öztürk – ß"), "Jürgen Öztürk – ß");
  EXPECT_EQ(EscapeHtml("&amp;"), "&amp;amp;");  // escaping is not idempotent, by design
}

TEST(DescribeDuration, NamesMinutesHoursAndDaysInBothLanguages) {
  EXPECT_EQ(DescribeDuration(1, Language::kGerman), "1 Minute");
  EXPECT_EQ(DescribeDuration(15, Language::kGerman), "15 Minuten");
  EXPECT_EQ(DescribeDuration(60, Language::kGerman), "1 Stunde");
  EXPECT_EQ(DescribeDuration(120, Language::kGerman), "2 Stunden");
  EXPECT_EQ(DescribeDuration(90, Language::kGerman), "90 Minuten");
  EXPECT_EQ(DescribeDuration(1440, Language::kGerman), "1 Tag");
  EXPECT_EQ(DescribeDuration(7 * 1440, Language::kGerman), "7 Tage");
  EXPECT_EQ(DescribeDuration(1, Language::kEnglish), "1 minute");
  EXPECT_EQ(DescribeDuration(15, Language::kEnglish), "15 minutes");
  EXPECT_EQ(DescribeDuration(60, Language::kEnglish), "1 hour");
  EXPECT_EQ(DescribeDuration(180, Language::kEnglish), "3 hours");
  EXPECT_EQ(DescribeDuration(1440, Language::kEnglish), "1 day");
  EXPECT_EQ(DescribeDuration(3 * 1440, Language::kEnglish), "3 days");
}

TEST(RenderMail, GermanSignInLinkGreetsByNameAndStatesValidity) {
  const MailContent m = RenderMail(MailKind::kSignInLink, Language::kGerman, "Jürgen Müller",
                                   "https://tandem.example/s/abc", 15);
  EXPECT_EQ(m.subject, "Ihr Anmeldelink für Tandem");
  EXPECT_TRUE(m.text.starts_with("Hallo Jürgen Müller,\n")) << m.text;
  EXPECT_TRUE(Contains(m.text, "\nhttps://tandem.example/s/abc\n"));
  EXPECT_TRUE(Contains(m.text, "15 Minuten gültig"));
  EXPECT_TRUE(Contains(m.text, "Ihr Tandem-Team"));
  EXPECT_TRUE(Contains(m.html, "<html lang=\"de\">"));
  EXPECT_TRUE(Contains(m.html, "href=\"https://tandem.example/s/abc\""));
  EXPECT_TRUE(Contains(m.html, "Hallo Jürgen Müller,"));
  EXPECT_TRUE(Contains(m.html, "15 Minuten gültig"));
}

TEST(RenderMail, EnglishInvitationWithoutNameUsesNeutralGreeting) {
  const MailContent m =
      RenderMail(MailKind::kInvitation, Language::kEnglish, "", "https://t.example/i/1", 7 * 1440);
  EXPECT_EQ(m.subject, "Your invitation to Tandem");
  EXPECT_TRUE(m.text.starts_with("Hello,\n")) << m.text;
  EXPECT_TRUE(Contains(m.text, "valid for 7 days"));
  EXPECT_TRUE(Contains(m.text, "Your Tandem team"));
  EXPECT_TRUE(Contains(m.html, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(m.html, "<p>Hello,</p>"));
}

TEST(RenderMail, WhitespaceOnlyNameCountsAsNoName) {
  const MailContent m =
      RenderMail(MailKind::kPasswordReset, Language::kGerman, "  \t ", "https://t.example/", 30);
  EXPECT_TRUE(m.text.starts_with("Guten Tag,\n")) << m.text;
}

TEST(RenderMail, HtmlEscapesNameAndLink) {
  const MailContent m =
      RenderMail(MailKind::kInvitation, Language::kEnglish, "<script>alert(1)</script> & Co",
                 "https://t.example/i?a=1&b=\"2\"", 60);
  EXPECT_FALSE(Contains(m.html, "<script>"));
  EXPECT_TRUE(Contains(m.html, "Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co,"));
  EXPECT_TRUE(Contains(m.html, "href=\"https://t.example/i?a=1&amp;b=&quot;2&quot;\""));
  EXPECT_FALSE(Contains(m.html, "b=\"2\""));
  // Plain text is not HTML: the name stays as written.
  EXPECT_TRUE(Contains(m.text, "Hello <script>alert(1)</script> & Co,"));
}

TEST(RenderMail, NameCannotBreakLines) {
  const MailContent m = RenderMail(MailKind::kSignInLink, Language::kEnglish,
                                   "Eve\r\nBcc: x@example.com", "https://t.example/", 15);
  EXPECT_TRUE(m.text.starts_with("Hello Eve  Bcc: x@example.com,\n")) << m.text;
}

TEST(RenderMail, EveryKindAndLanguageHasDistinctCompleteTexts) {
  for (const Language language : kAllLanguages) {
    std::set<std::string> subjects;
    for (const MailKind kind : kAllKinds) {
      const MailContent m = RenderMail(kind, language, "Ana", "https://t.example/x/TOKEN", 15);
      SCOPED_TRACE(m.subject);
      EXPECT_FALSE(m.subject.empty());
      EXPECT_EQ(m.subject.find('\n'), std::string::npos);
      EXPECT_TRUE(subjects.insert(m.subject).second);
      EXPECT_TRUE(Contains(m.text, "https://t.example/x/TOKEN"));
      EXPECT_TRUE(Contains(m.html, "https://t.example/x/TOKEN"));
      EXPECT_TRUE(
          Contains(m.text, language == Language::kGerman ? "Ihr Tandem-Team" : "Your Tandem team"));
      EXPECT_TRUE(Contains(m.text, DescribeDuration(15, language)));
      EXPECT_TRUE(m.html.starts_with("<!DOCTYPE html>"));
      EXPECT_TRUE(Contains(m.html, "<meta charset=\"utf-8\">"));
      EXPECT_TRUE(Contains(m.html, "</html>"));
    }
  }
}

TEST(RenderMail, GermanTextsUseRealUmlauts) {
  for (const MailKind kind : kAllKinds) {
    const MailContent m = RenderMail(kind, Language::kGerman, "", "https://t.example/", 15);
    for (const char* transcribed : {"fuer", "gueltig", "Gruesse", "aendert", "Fuehrung"}) {
      EXPECT_FALSE(Contains(m.text, transcribed)) << m.text;
    }
    EXPECT_TRUE(Contains(m.text, "ü")) << m.text;
  }
}

TEST(RenderMeetingReminder, NamesTimeAndPartnerAndEscapesTheNameInHtml) {
  const MailContent mail = RenderMeetingReminder(Language::kEnglish, "Emma", "Bob <b>\r\nX",
                                                 "Monday, 18 January 2027, 10:00 (Europe/Berlin)",
                                                 "https://t.example/tandems/3");
  EXPECT_EQ(mail.subject, "Reminder: your tandem meeting tomorrow");
  EXPECT_NE(mail.text.find("Hello Emma,"), std::string::npos);
  EXPECT_NE(mail.text.find("Tomorrow you meet Bob <b>  X: Monday, 18 January 2027"),
            std::string::npos);
  EXPECT_NE(mail.html.find("Bob &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(mail.html.find("<b>"), std::string::npos);
  EXPECT_NE(mail.html.find("href=\"https://t.example/tandems/3\""), std::string::npos);
}

TEST(RenderCadenceNudge, SpeaksOfWeeksInBothLanguages) {
  EXPECT_NE(RenderCadenceNudge(Language::kGerman, "", "Bob", 6, "https://t.example/tandems/3")
                .text.find("seit 6 Wochen haben Sie und Bob"),
            std::string::npos);
  EXPECT_NE(RenderCadenceNudge(Language::kEnglish, "", "", 1, "https://t.example/tandems/3")
                .text.find("For 1 week you and your tandem partner"),
            std::string::npos);
}

TEST(RenderTandemDissolved, NamesWhoEndedItInBothLanguagesAndEscapesTheName) {
  const MailContent de =
      RenderTandemDissolved(Language::kGerman, "Emma", "Bob", "https://t.example/tandems/3");
  EXPECT_EQ(de.subject, "Ihr Tandem wurde beendet");
  EXPECT_NE(de.text.find("Bob hat Ihr gemeinsames Tandem vorzeitig beendet."), std::string::npos);
  EXPECT_NE(de.text.find("https://t.example/tandems/3"), std::string::npos);
  const MailContent en =
      RenderTandemDissolved(Language::kEnglish, "", "<i>Bob</i>", "https://t.example/tandems/3");
  EXPECT_EQ(en.subject, "Your tandem has ended");
  EXPECT_NE(en.text.find("has ended your tandem early."), std::string::npos);
  EXPECT_NE(en.html.find("&lt;i&gt;Bob"), std::string::npos);
  EXPECT_EQ(en.html.find("<i>"), std::string::npos);
}

TEST(RenderSurveyMails, NameTheSurveyAndProgrammeInBothLanguages) {
  const MailContent de = RenderSurveyInvitation(
      Language::kGerman, "Emma", "Pilot 2027", SurveyKind::kMidTerm, "https://t.example/surveys/4");
  EXPECT_EQ(de.subject, "Ihre Meinung zu Tandem: die Zwischenbefragung");
  EXPECT_NE(de.text.find("Hallo Emma,"), std::string::npos);
  EXPECT_NE(de.text.find("Pilot 2027"), std::string::npos);
  EXPECT_NE(de.text.find("https://t.example/surveys/4"), std::string::npos);
  const MailContent en = RenderSurveyInvitation(Language::kEnglish, "", "<b>P</b>",
                                                SurveyKind::kFinal, "https://t.example/surveys/4");
  EXPECT_EQ(en.subject, "Your view of Tandem: the final survey");
  EXPECT_NE(en.html.find("&lt;b&gt;P"), std::string::npos);
  EXPECT_EQ(en.html.find("<b>"), std::string::npos);

  const MailContent rde = RenderSurveyReminder(Language::kGerman, "", "Pilot", SurveyKind::kFinal,
                                               "https://t.example/surveys/5");
  EXPECT_EQ(rde.subject, "Erinnerung: die Abschlussbefragung zu Tandem");
  EXPECT_NE(rde.text.find("Guten Tag,"), std::string::npos);
  const MailContent ren = RenderSurveyReminder(Language::kEnglish, "Bob", "Pilot",
                                               SurveyKind::kMidTerm, "https://t.example/surveys/5");
  EXPECT_EQ(ren.subject, "Reminder: the Tandem mid-term survey");
  EXPECT_NE(ren.text.find("only reminder"), std::string::npos);
}

}  // namespace
}  // namespace tandem
