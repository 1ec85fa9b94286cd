#!/usr/bin/env bash
# Installs the SDK alone into a temporary prefix, builds samples/hello-c and samples/hello-cpp
# against that prefix (so they can use nothing of the host's sources), then loads both into the
# real host and checks their replies over HTTP.
# Usage: samples-against-installed-sdk.sh <source dir> <switchboard binary>
set -euo pipefail
source_dir=$1
switchboard=$2
work=$(mktemp -d /tmp/switchboard-sdk-XXXXXX)
host_pid=
cleanup() {
    [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

cmake -S "$source_dir/sdk" -B "$work/sdk-build" >/dev/null
cmake --install "$work/sdk-build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/switchboard/plugin.h"
test -f "$work/prefix/lib/cmake/SwitchboardSDK/SwitchboardSDKConfig.cmake"

mkdir -m 755 "$work/plugins"
for sample in hello-c hello-cpp; do
    # A copy outside the source tree: nothing but the installed SDK is reachable.
    cp -r "$source_dir/samples/$sample" "$work/$sample"
    cmake -S "$work/$sample" -B "$work/$sample/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
        -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >/dev/null
    cmake --build "$work/$sample/build" -j2 >/dev/null
    install -m 644 "$work/$sample/build/"*.so "$work/plugins/"
done
ls "$work/plugins"

token=sdk-samples-test-token
# Port 0: the host picks free ports itself (a port chosen here could be taken by a parallel
# test before the host binds it) and logs the webhook's.
"$switchboard" serve --set twilio.authToken=$token --set http.port=0 --set admin.enabled=false \
    --set plugins.dir="$work/plugins" --set plugins.order=hello_c,hello_cpp 2>"$work/host.log" &
host_pid=$!
for _ in $(seq 200); do grep -q "serving Twilio webhooks" "$work/host.log" && break; sleep 0.05; done
port=$(sed -n 's|.*serving Twilio webhooks on http://[0-9.]*:\([0-9]*\)/.*|\1|p' "$work/host.log")
[[ -n "$port" ]] || { echo "the host did not start:"; cat "$work/host.log"; exit 1; }

answer=$("$switchboard" send message.received --url "http://127.0.0.1:$port/webhooks/twilio" \
    --auth-token $token From=+15550001111 Body=hello)
echo "$answer"
grep -q "<Message>Hello from C, +15550001111!</Message>" <<<"$answer"
grep -q "<Message>Hello from C++, +15550001111!</Message>" <<<"$answer"
echo "samples built against the installed SDK load and reply"
