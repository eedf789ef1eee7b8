// The data export (GET /api/v1/me/export; app/data_rights.h) as JSON. Every path it writes is
// named in docs/personal-data.md, and tests/personal_data_test.cc holds the two together.
#pragma once

#include <nlohmann/json.hpp>

#include "app/data_rights.h"

namespace tandem::http {

// `current_session`: the session the export was downloaded in (marked "current").
nlohmann::json ToJson(const PersonalDataExport& data, RowId current_session);

}  // namespace tandem::http
