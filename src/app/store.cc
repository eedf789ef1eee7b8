#include "app/store.h"

#include <array>
#include <utility>

namespace tandem {
namespace {

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& names,
                          std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string_view Name(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<MatchModeSetting, std::string_view>, 2> kModes = {{
    {MatchModeSetting::kReverse, "reverse"},
    {MatchModeSetting::kOpen, "open"},
}};
constexpr std::array<std::pair<EnrolmentState, std::string_view>, 3> kEnrolmentStates = {{
    {EnrolmentState::kInvited, "invited"},
    {EnrolmentState::kEnrolled, "enrolled"},
    {EnrolmentState::kWithdrawn, "withdrawn"},
}};
constexpr std::array<std::pair<TandemState, std::string_view>, 6> kTandemStates = {{
    {TandemState::kProposed, "proposed"},
    {TandemState::kAcceptedByOne, "accepted_by_one"},
    {TandemState::kActive, "active"},
    {TandemState::kCompleted, "completed"},
    {TandemState::kDeclined, "declined"},
    {TandemState::kDissolved, "dissolved"},
}};

constexpr std::array<std::pair<RunState, std::string_view>, 4> kRunStates = {{
    {RunState::kQueued, "queued"},
    {RunState::kRunning, "running"},
    {RunState::kDone, "done"},
    {RunState::kFailed, "failed"},
}};
constexpr std::array<std::pair<PairRuleKind, std::string_view>, 2> kPairRuleKinds = {{
    {PairRuleKind::kPin, "pin"},
    {PairRuleKind::kForbid, "forbid"},
}};
constexpr std::array<std::pair<MeetingState, std::string_view>, 4> kMeetingStates = {{
    {MeetingState::kProposed, "proposed"},
    {MeetingState::kAccepted, "accepted"},
    {MeetingState::kCancelled, "cancelled"},
    {MeetingState::kHeld, "held"},
}};

constexpr std::array<std::pair<Language, std::string_view>, 2> kLanguages = {{
    {Language::kGerman, "de"},
    {Language::kEnglish, "en"},
}};
constexpr std::array<std::pair<TokenPurpose, std::string_view>, 3> kPurposes = {{
    {TokenPurpose::kInvitation, "invitation"},
    {TokenPurpose::kSignIn, "sign_in"},
    {TokenPurpose::kPasswordReset, "password_reset"},
}};

constexpr std::array<std::pair<SurveyState, std::string_view>, 3> kSurveyStates = {{
    {SurveyState::kDraft, "draft"},
    {SurveyState::kOpen, "open"},
    {SurveyState::kClosed, "closed"},
}};
constexpr std::array<std::pair<SurveyKind, std::string_view>, 2> kSurveyKinds = {{
    {SurveyKind::kMidTerm, "mid_term"},
    {SurveyKind::kFinal, "final"},
}};
constexpr std::array<std::pair<SurveyAudience, std::string_view>, 2> kSurveyAudiences = {{
    {SurveyAudience::kMentees, "mentees"},
    {SurveyAudience::kMentors, "mentors"},
}};

}  // namespace

std::string_view ToString(Language language) { return Name(kLanguages, language); }
std::string_view ToString(TokenPurpose purpose) { return Name(kPurposes, purpose); }
std::optional<Language> ParseLanguage(std::string_view text) { return Parse(kLanguages, text); }
std::optional<TokenPurpose> ParseTokenPurpose(std::string_view text) {
  return Parse(kPurposes, text);
}

std::string_view ToString(MatchModeSetting mode) { return Name(kModes, mode); }
std::string_view ToString(EnrolmentState state) { return Name(kEnrolmentStates, state); }
std::string_view ToString(TandemState state) { return Name(kTandemStates, state); }
std::optional<MatchModeSetting> ParseMatchModeSetting(std::string_view text) {
  return Parse(kModes, text);
}
std::optional<EnrolmentState> ParseEnrolmentState(std::string_view text) {
  return Parse(kEnrolmentStates, text);
}
std::optional<TandemState> ParseTandemState(std::string_view text) {
  return Parse(kTandemStates, text);
}

std::string_view ToString(RunState state) { return Name(kRunStates, state); }
std::string_view ToString(PairRuleKind kind) { return Name(kPairRuleKinds, kind); }
std::optional<RunState> ParseRunState(std::string_view text) { return Parse(kRunStates, text); }
std::optional<PairRuleKind> ParsePairRuleKind(std::string_view text) {
  return Parse(kPairRuleKinds, text);
}
std::string_view ToString(MeetingState state) { return Name(kMeetingStates, state); }
std::optional<MeetingState> ParseMeetingState(std::string_view text) {
  return Parse(kMeetingStates, text);
}

std::string_view ToString(SurveyState state) { return Name(kSurveyStates, state); }
std::string_view ToString(SurveyKind kind) { return Name(kSurveyKinds, kind); }
std::string_view ToString(SurveyAudience audience) { return Name(kSurveyAudiences, audience); }
std::optional<SurveyState> ParseSurveyState(std::string_view text) {
  return Parse(kSurveyStates, text);
}
std::optional<SurveyKind> ParseSurveyKind(std::string_view text) {
  return Parse(kSurveyKinds, text);
}
std::optional<SurveyAudience> ParseSurveyAudience(std::string_view text) {
  return Parse(kSurveyAudiences, text);
}

}  // namespace tandem
