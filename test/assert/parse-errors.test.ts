import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAssertion } from '../../src/assert/parse.ts';
import type { FieldKinds } from '../../src/probes/types.ts';
import { DNS, HTTP, POSTGRES } from './fields.ts';

/** [text, fields, offset of the offending token, what the message must say]. The caret ^ marks the offset. */
const ERRORS: [string, FieldKinds, number, RegExp][] = [
  // empty
  ['', HTTP, 0, /empty assertion/],
  ['   ', HTTP, 0, /empty assertion/],
  // unknown fields, with hints and the valid list
  ['stauts == 200', HTTP, 0, /unknown field "stauts" \(did you mean "status"\?\); this probe type observes: status, headers, body, json, tls\.authorized, tls\.expiresIn, tls\.issuer, tls\.subject, duration$/],
  ['  statuss == 200', HTTP, 2, /did you mean "status"/],
  ['connected', HTTP, 0, /^unknown field "connected"; this probe type observes:/],
  ['tls.expires < 30d', HTTP, 4, /unknown field "tls\.expires" \(did you mean "tls\.expiresIn"\?\); fields of "tls": tls\.authorized, tls\.expiresIn/],
  ['expiresIn > 1d', HTTP, 0, /unknown field "expiresIn" \(did you mean "tls\.expiresIn"\?\)/],
  ['replication.lagg < 1s', POSTGRES, 12, /unknown field "replication\.lagg" \(did you mean "replication\.lag"\?\)/],
  ['status.code == 1', HTTP, 7, /"status" is a number and has no field "code"/],
  ['records.first == "a"', DNS, 8, /"records" is a list and has no field "first" \(only \.length\)/],
  ['status[0] == 2', HTTP, 6, /"status" is a number, not a list/],
  ['body.length.x == 1', HTTP, 12, /"body\.length" is a number and has no field "x"/],
  // path syntax
  ['[0] == 1', HTTP, 0, /expected a field name/],
  ['json. == 1', HTTP, 5, /expected a name after "\."/],
  ['json[x] == 1', HTTP, 5, /expected an index like \[0\] or a quoted key/],
  ['json["a" == 1', HTTP, 9, /expected "\]"/],
  ['json[0', HTTP, 4, /unterminated \[/],
  ['json["a] == 1', HTTP, 5, /unterminated text: add the closing "/],
  // unknown operators, with hints and the valid list
  ['status => 200', HTTP, 7, /unknown operator "=>" \(did you mean ">="\?\); use one of: == != < <= > >= contains !contains matches !matches in !in$/],
  ['body =~ /x/', HTTP, 5, /unknown operator "=~" \(did you mean "matches"\?\)/],
  ['body ~= /x/', HTTP, 5, /unknown operator "~=" \(did you mean "matches"\?\)/],
  ['status === 200', HTTP, 7, /unknown operator "===" \(did you mean "=="\?\)/],
  ['status = 200', HTTP, 7, /unknown operator "=" \(did you mean "=="\?\)/],
  ['status is 200', HTTP, 7, /unknown operator "is" \(did you mean "=="\?\)/],
  ['body contain "x"', HTTP, 5, /unknown operator "contain" \(did you mean "contains"\?\)/],
  ['status 200', HTTP, 7, /expected an operator, found "200"; use one of/],
  ['!connected == true', POSTGRES, 0, /"!" before a path only checks that it is false/],
  // operands
  ['status ==', HTTP, 9, /missing value after ==/],
  ['status ==   ', HTTP, 12, /missing value after ==/],
  ['rcode == NOERROR', DNS, 9, /unexpected "NOERROR": text needs quotes, e.g. "NOERROR"/],
  ['status == 20O', HTTP, 10, /^"20O" is neither a number nor a duration \(durations look like 250ms, 5s, 2m, 1h, 14d or compounds like 1m30s\)$/],
  ['duration < 5s5s', HTTP, 11, /^"5s5s" is not a duration: write it with each unit at most once \("s" appears twice\), e\.g\. 1m30s$/],
  ['duration in [1s, 1s1m]', HTTP, 17, /^"1s1m" is not a duration: write it with its units largest first \(d, h, m, s, ms\), e\.g\. 1m30s$/],
  ['duration < 5sec', HTTP, 11, /"5sec" is neither a number nor a duration/],
  ['body == "abc', HTTP, 8, /unterminated text: add the closing "/],
  ["body == 'abc\\'", HTTP, 8, /unterminated text: add the closing '/],
  ['body matches /abc', HTTP, 13, /unterminated regex: add the closing \//],
  ['body matches /a[/]', HTTP, 13, /unterminated regex/],
  ['body matches //', HTTP, 13, /empty regex/],
  ['body matches /(a/', HTTP, 13, /^invalid regex \/\(a\/: Unterminated group$/],
  ['body matches /a/q', HTTP, 13, /^invalid regex \/a\/q: Invalid flags/],
  ['status in [200, 204', HTTP, 10, /unterminated list: add the closing \]/],
  ['status in [200,', HTTP, 10, /unterminated list/],
  ['status in [200 204]', HTTP, 15, /expected "," or "\]" in the list, found "2"/],
  ['status == 200 and status < 300', HTTP, 14, /unexpected "and" after the value/],
  ['body matches /a/ i', HTTP, 17, /unexpected "i" after the value/],
  // operator needs
  ['status < "300"', HTTP, 9, /< needs a number or a duration/],
  ['status >= true', HTTP, 10, />= needs a number or a duration/],
  ['body matches "ok"', HTTP, 13, /matches needs a \/regex\/.*write \/ok\/ for a pattern, or use contains/],
  ['body !matches 1', HTTP, 14, /!matches needs a \/regex\//],
  ['status in 200', HTTP, 10, /in needs a list, e.g. in \[200, 204\]/],
  ['status !in "a"', HTTP, 11, /!in needs a list/],
  ['body == /x/', HTTP, 8, /a \/regex\/ only works with matches or !matches, not ==/],
  ['json.x in [1, /x/]', HTTP, 14, /a \/regex\/ only works with matches/],
  ['body contains /x/', HTTP, 14, /a \/regex\/ only works with matches/],
  // durations
  ['replication.lag < 10', POSTGRES, 18, /"replication\.lag" is a duration: write 10s or 10ms/],
  ['duration <= 500', HTTP, 12, /write 500s or 500ms/],
  ['tls.expiresIn == 0', HTTP, 17, /write 0d or 0h/],
  ['tls.expiresIn > 14', HTTP, 16, /"tls\.expiresIn" is a duration: write 14d or 14h$/],
  ['replication.lag in [1s, 2]', POSTGRES, 24, /write 2s or 2ms/],
  ['replication.lag == "1s"', POSTGRES, 19, /is a duration: compare it with a duration like 10s/],
  ['status < 5s', HTTP, 9, /"status" is a number, not a duration: 5s only compares with durations/],
  ['body == 1m', HTTP, 8, /"body" is text, not a duration/],
  ['records contains 1s', DNS, 17, /"records" is a list, not a duration/],
  // kinds that can never match
  ['status', HTTP, 0, /"status" is a number, but a path alone checks that it is true/],
  ['!body', HTTP, 1, /"body" is text, but a path alone/],
  ['status == "200"', HTTP, 10, /"status" is a number: compare it with a number: write 200 without quotes/],
  ['rcode == 3', DNS, 9, /"rcode" is text: compare it with 'text': write "3"/],
  ['connected == "yes"', POSTGRES, 13, /"connected" is true or false: compare it with true or false/],
  ['status in [200, "204"]', HTTP, 16, /compare it with a number/],
  ['body < 3', HTTP, 7, /"body" is text, so < cannot order it; compare its length instead: "body\.length < …"/],
  ['records > 1', DNS, 10, /compare its length instead/],
  ['status contains 2', HTTP, 16, /"status" is a number; contains works on text, lists and objects/],
  ['body contains 42', HTTP, 14, /contains on it needs 'text': write "42"/],
  ['connected matches /t/', POSTGRES, 18, /matches works on text and numbers/],
];

test('config-time errors point at the offending token and say what to do', () => {
  for (const [text, fields, offset, message] of ERRORS) {
    const result = parseAssertion(text, fields);
    assert.equal(result.ok, false, `${text} should be rejected`);
    if (result.ok) continue;
    assert.match(result.message, message, text);
    assert.equal(result.offset, offset, `${text}: offset for "${result.message}"`);
  }
});

test('null compares with any field, and numbers order against durations only via units', () => {
  for (const text of ['replication.lag == null', 'replication.lag != null', 'version == null', 'replication.replicas >= 1', 'rowCount in [0, 1]']) {
    assert.ok(parseAssertion(text, POSTGRES).ok, text);
  }
});
