// Fuzzes the survey documents (src/app/survey_json.h): the input is read as a survey definition
// and as a response to each default survey. What parses and validates must read the same after
// it is written back (the server stores exactly what SurveyDefinitionJson() and
// SurveyResponseJson() write, and reads it again for every result).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/survey_json.h"
#include "core/survey.h"

namespace {

bool SameAnswers(const tandem::SurveyResponse& a, const tandem::SurveyResponse& b) {
  if (a.answers.size() != b.answers.size()) return false;
  for (size_t i = 0; i < a.answers.size(); ++i) {
    const tandem::Answer& x = a.answers[i];
    const tandem::Answer& y = b.answers[i];
    if (x.question != y.question || x.number != y.number || x.choice != y.choice ||
        x.text != y.text || x.topics.size() != y.topics.size()) {
      return false;
    }
    for (size_t t = 0; t < x.topics.size(); ++t) {
      if (x.topics[t].topic != y.topics[t].topic || x.topics[t].rating != y.topics[t].rating) {
        return false;
      }
    }
  }
  return true;
}

void Response(std::string_view text, const tandem::Survey& survey) {
  static const std::vector<std::string> kTopicKeys = {"ai", "cloud", "iot"};
  tandem::SurveyResponse response;
  if (!tandem::ParseSurveyResponse(text, survey, response).empty()) return;
  if (!tandem::ValidateResponse(survey, kTopicKeys, response).empty()) return;
  const std::string written = tandem::SurveyResponseJson(response);
  tandem::SurveyResponse again;
  if (!tandem::ParseSurveyResponse(written, survey, again).empty() ||
      !SameAnswers(response, again)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // As a definition.
  tandem::Survey survey;
  if (tandem::ParseSurveyDefinition(text, survey).empty() &&
      tandem::ValidateSurvey(survey).empty()) {
    const std::string written = tandem::SurveyDefinitionJson(survey);
    tandem::Survey again;
    if (!tandem::ParseSurveyDefinition(written, again).empty() ||
        tandem::SurveyDefinitionJson(again) != written) {
      __builtin_trap();
    }
    Response(text, survey);  // and as a response to itself
  }

  // As a response to each default survey.
  for (const tandem::SurveyKind kind : {tandem::SurveyKind::kMidTerm, tandem::SurveyKind::kFinal}) {
    for (const tandem::SurveyAudience audience :
         {tandem::SurveyAudience::kMentees, tandem::SurveyAudience::kMentors}) {
      Response(text, tandem::DefaultSurvey(kind, audience));
    }
  }
  return 0;
}
