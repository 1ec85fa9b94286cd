#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets, tests/fuzz/corpus/<target>/, from
samples/payloads/ and tests/data/twilio-official-vectors.json plus a few hand-picked edge
cases. The output is committed; run this again (from anywhere) after the samples or the
vectors change. Each target gets fewer than 100 small files. scripts/fuzz never writes here:
it fuzzes a scratch copy."""
import json
import pathlib
import shutil
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PAYLOADS = ROOT / "samples" / "payloads"
VECTORS = json.loads((ROOT / "tests" / "data" / "twilio-official-vectors.json").read_text())["vectors"]


def flatten(params):
    """The vectors' params as (key, value) pairs, the way the unit tests read them: a list value
    is a repeated key (twilio-node's array parameters), a null value is an empty one."""
    pairs = []
    for key, value in params:
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, "" if item is None else item))
    return pairs


def form(params):
    """A form body as Twilio encodes it: spaces as '+', everything reserved percent-encoded."""
    return "&".join(urllib.parse.quote_plus(k, safe="") + "=" + urllib.parse.quote_plus(v, safe="")
                    for k, v in flatten(params))


def decode_form(body):
    return urllib.parse.parse_qsl(body, keep_blank_values=True, strict_parsing=False)


def samples():
    return {p.stem: p.read_text() for p in sorted(PAYLOADS.glob("*.form"))}


def write(target, seeds):
    out = HERE / "corpus" / target
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    seen = set()
    for name, data in seeds:
        data = data.encode() if isinstance(data, str) else data
        if data in seen:
            continue
        seen.add(data)
        (out / name).write_bytes(data)
    assert len(seen) < 100, (target, len(seen))
    print(f"corpus/{target}: {len(seen)} seeds")


def form_seeds():
    seeds = [(f"sample-{name}", body) for name, body in samples().items()]
    for i, v in enumerate(VECTORS):
        if v["params"]:
            seeds.append((f"vector-{i:02d}", form(v["params"])))
    seeds += [
        ("edge-order-blank-repeat", "B=2&A=1&FromCity=&A=3&Flag"),
        ("edge-plus-and-escapes", "From=%2B14155550100&Body=Hello+w%C3%B6rld+%26+more"),
        ("edge-empty-pairs", "&A=1&&B=2&"),
        ("edge-bad-percent", "Good=1&Body=100%"),
        ("edge-bad-hex", "Body=%zz"),
        ("edge-bad-utf8", "Body=%C3%28"),
        ("edge-overlong", "Body=%C0%AF"),
        ("edge-surrogate", "Body=%ED%A0%80"),
        ("edge-emoji", "Body=%F0%9F%98%80"),
        ("edge-equals-in-value", "a==b=c&=&==&%3D=%26"),
        ("edge-nul", "Body=a%00b"),
    ]
    return seeds


def json_seeds():
    seeds = []
    for i, v in enumerate(VECTORS):
        if v["body"]:
            seeds.append((f"vector-{i:02d}.json", v["body"]))
    for name, body in samples().items():
        seeds.append((f"sample-{name}.json", json.dumps(dict(decode_form(body)))))
    seeds += [
        ("edge-scalars.json", '{"NumMedia": 2, "Price": -0.0075, "Big": 1e300, "Int": -9223372036854775808, "Flag": true, "Off": false}'),
        ("edge-duplicates.json", '{"A": "1", "A": "2", "": ""}'),
        ("edge-escapes.json", '{"Body": "caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0000"}'),
        ("edge-empty.json", "{}"),
        ("edge-nested.json", '{"A": {"B": "1"}}'),
        ("edge-array.json", '{"A": ["1"]}'),
        ("edge-null.json", '{"A": null}'),
        ("edge-not-object.json", '["A"]'),
        ("edge-utf8.json", '{"Body": "\u00e9\u4e2d\U0001F600"}'),
    ]
    return seeds


def signature_seeds():
    seeds = []
    for i, v in enumerate(VECTORS):
        if v["url"] is None:
            continue
        body = form(v["params"]) if v["params"] is not None else (v["body"] or "")
        seeds.append((f"vector-{i:02d}", "\n".join([v["auth_token"], v["url"], v["signature"] or "", body])))
    seeds += [
        ("edge-empty", ""),
        ("edge-no-scheme", "token\nexample.com/x?a='b'\n\nA=1"),
        ("edge-ipv6-port", "token\nhttps://[::1]:8443/x?y=%27\n\nA=1&B=2"),
        ("edge-fragment", "token\nhttp://user:pw@h/p?q=1#rc=5\n\n{\"a\": \"b\"}"),
    ]
    return seeds


def classify_seeds():
    seeds = []
    for name, body in samples().items():
        seeds.append((f"sample-{name}", body))
        seeds.append((f"sample-{name}.json", json.dumps(dict(decode_form(body)))))
    parsed = {name: decode_form(body) for name, body in samples().items()}

    def variant(name, sample, drop=(), add=()):
        fields = [(k, v) for k, v in parsed[sample] if k not in drop] + list(add)
        seeds.append((name, form(fields)))

    variant("edge-call-bad-status", "call.statusUpdate", drop=("CallStatus",), add=(("CallStatus", "exploded"),))
    variant("edge-call-no-account", "call.statusUpdate", drop=("AccountSid",))
    variant("edge-voice-twiml-request", "call.statusUpdate", drop=("CallbackSource", "SequenceNumber"))
    variant("edge-message-with-callsid", "message.received", add=(("CallSid", "CA1"), ("CallStatus", "in-progress")))
    variant("edge-message-sid-no-body", "message.received", drop=("Body",))
    variant("edge-status-bad-enum", "message.statusUpdate", drop=("MessageStatus",), add=(("MessageStatus", "Delivered"),))
    variant("edge-status-repeated", "message.statusUpdate", add=(("MessageStatus", "bogus"),))
    variant("edge-received-no-nummedia", "message.received", drop=("NumMedia",))
    return seeds


def twiml_seeds():
    RS, US = "\x1e", "\x1f"
    parsed = {name: dict(decode_form(body)) for name, body in samples().items()}
    mms = parsed["message.received.mms"]
    seeds = [
        ("no-reply", ""),
        ("one-reply", "Thanks, your order #42 is ready."),
        ("sample-bodies", RS.join(p["Body"] for p in parsed.values() if "Body" in p)),
        ("media", "Here you go" + US + mms["MediaUrl0"] + US + mms["MediaUrl1"]),
        ("media-no-text", US + "https://example.com/a.png?x=1&y=2"),
        ("markup", '<b>&amp; "quotes" \'apos\' ]]> </Message><!-- x --><![CDATA[y]]>'),
        ("unicode", "caf\u00e9 \u4e2d\u6587 \U0001F600 \u00a0\u2028\u0085\u007f"),
        ("whitespace", "  two  spaces\tand\na newline  "),
        ("empty-replies", RS + RS),
        ("mixed", "a" + RS + "b" + US + "https://e.com/1" + RS + US + RS + "c&d"),
    ]
    return seeds


if __name__ == "__main__":
    write("form_decoder", form_seeds())
    write("json_decoder", json_seeds())
    write("signature", signature_seeds())
    write("classify_schema", classify_seeds())
    write("twiml", twiml_seeds())
