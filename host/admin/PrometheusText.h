#pragma once

#include <ostream>
#include <string_view>

namespace switchboard::admin {

/// Writes a metric that has one sample and no labels, in Prometheus' text format: its HELP
/// and TYPE lines, then `name value`.
template <typename Value>
void writeSingleSample(std::ostream& out, std::string_view name, std::string_view type,
                       std::string_view help, Value value) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n'
        << name << ' ' << value << '\n';
}

template <typename Value>
void writeCounter(std::ostream& out, std::string_view name, std::string_view help, Value value) {
    writeSingleSample(out, name, "counter", help, value);
}

template <typename Value>
void writeGauge(std::ostream& out, std::string_view name, std::string_view help, Value value) {
    writeSingleSample(out, name, "gauge", help, value);
}

}  // namespace switchboard::admin
