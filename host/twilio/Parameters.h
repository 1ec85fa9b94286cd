#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::twilio {

/// One decoded form field or JSON member.
using Parameter = std::pair<std::string, std::string>;

/// A delivery's fields in arrival order: repeated keys and blank values are kept
/// because Twilio signs over all of them and plugins see all of them.
using Parameters = std::vector<Parameter>;

/// The value of the first field named `key` (case-sensitive, as Twilio's names are).
inline const std::string* findParameter(const Parameters& parameters, std::string_view key) {
    for (const auto& [name, value] : parameters) {
        if (name == key) return &value;
    }
    return nullptr;
}

/// Gives the first field named `key` the new value and drops its repeats; appends the field
/// when there is none.
inline void setParameter(Parameters& parameters, std::string_view key, std::string_view value) {
    auto named = [key](const Parameter& field) { return field.first == key; };
    const auto first = std::find_if(parameters.begin(), parameters.end(), named);
    if (first == parameters.end()) {
        parameters.emplace_back(key, value);
        return;
    }
    first->second.assign(value);
    parameters.erase(std::remove_if(std::next(first), parameters.end(), named), parameters.end());
}

}  // namespace switchboard::twilio
