// Programme use cases that exist so far: the default topic catalogue and creating a programme.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/store.h"
#include "core/status.h"

namespace tandem {

// The twelve topics of the seed programme, with German and English names, weight 1.
std::vector<ProgrammeTopic> DefaultCatalogue();

// The default confidentiality agreement tandems accept.
std::string DefaultAgreement(Language language);

// What the server does to a programme's input before it checks and stores it: the name and each
// topic's key and names lose surrounding whitespace.
void NormaliseProgramme(ProgrammeRecord& programme);

// ProgrammeRecord::min_group_size in an input that does not give one: a new programme gets
// kDefaultMinGroupSize, an update keeps the stored value.
inline constexpr int kKeepMinGroupSize = 0;

// Checks a programme's settings; InvalidArgument naming the field otherwise.
// min_group_size may be kKeepMinGroupSize.
Status ValidateProgramme(const ProgrammeRecord& programme);

// Stores `programme` (in state "draft"; an empty catalogue becomes the default one, empty
// agreement texts the default ones) and audits it; `admin`, when given, becomes its
// administrator in the same transaction. Checks the settings; returns the new programme's id.
Result<RowId> CreateProgramme(Store& store, ProgrammeRecord programme, const std::string& actor,
                              Millis now, std::optional<RowId> admin = std::nullopt);

// Erases the person with HR id `external_id`: personal fields, answers, experience and tandem
// reasons go; anonymous counts stay. Audited without the HR id. NotFound when unknown.
Status ErasePersonByExternalId(Store& store, const std::string& external_id,
                               const std::string& actor, Millis now);

}  // namespace tandem
