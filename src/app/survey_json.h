// Surveys and survey responses as stored JSON documents (SurveyRecord::definition,
// SurveyResponseRecord::answers) and as the API's request bodies. docs/reports.md and
// docs/api/routes.md ("Surveys and reports (issue 8)") describe the format.
//
// A definition is {"questions": [{"key", "type", "text": {"de", "en"}, "low_label",
// "high_label", "choices": [{"key", "label": {"de", "en"}}], "required"}]} with type one of
// "scale", "recommendation", "single_choice", "free_text", "topic_rating". A response is
// {"<question key>": value}: a number (scale, recommendation), a choice key (single choice), a
// string (free text) or {"<topic key>": 0..3} (topic rating).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/survey.h"

namespace tandem {

std::string_view ToString(QuestionType type);  // "scale", "recommendation", ...

// The questions of `survey` as the JSON document above (kind and audience are not part of it).
std::string SurveyDefinitionJson(const Survey& survey);
// Parses a definition document into `survey`'s questions. Problems name the JSON path
// ("questions[2].type: must be one of scale, recommendation, single_choice, free_text,
// topic_rating"); every problem found is returned, empty means parsed. Does not check the
// survey's rules (ValidateSurvey does).
std::vector<SurveyProblem> ParseSurveyDefinition(std::string_view json, Survey& survey);

// A response as the JSON object above, answers in the survey's question order.
std::string SurveyResponseJson(const SurveyResponse& response);
// Parses a response object against `survey` (which tells each value's type). Problems name
// the question key ("satisfaction: must be a whole number"); unknown keys are problems too.
std::vector<SurveyProblem> ParseSurveyResponse(std::string_view json, const Survey& survey,
                                               SurveyResponse& response);

}  // namespace tandem
