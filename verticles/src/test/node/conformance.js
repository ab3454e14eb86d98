'use strict';
// Drives a running Herald with Slack's official Node SDKs, unmodified, pointed at its base URL:
//   node conformance.js <web-api-7|web-api-8> <http://127.0.0.1:PORT/api/>
// The journey: register → create channel → join → RTM connect → post (HTTP and RTM) → receive on the other client
// → react, edit, delete → paginate history with the SDK's paginator → a rate-limited call the SDK waits out and
// retries → an error surfaced as the SDK's platform error. Exits 0 only if every step held; prints each step.
// The server must be configured with webapp.rate_limits tier4 small (SdkConformanceTest does so).

const assert = require('node:assert/strict');
const { once } = require('node:events');

const [variant, baseUrl] = process.argv.slice(2);
if (!['web-api-7', 'web-api-8'].includes(variant) || !baseUrl) {
  console.error('usage: node conformance.js <web-api-7|web-api-8> <base url ending in /api/>');
  process.exit(2);
}
const { WebClient, WebClientEvent, ErrorCode, LogLevel } = require(variant);
// The RTM client brings its own WebClient (7.x) for rtm.connect: that is how applications get it.
const { RTMClient } = require('@slack/rtm-api');

const DEADLINE_MS = 20_000;
const suffix = `${variant.replace('web-api-', 'v')}-${process.pid}-${Date.now() % 100000}`;
const options = { slackApiUrl: baseUrl, logLevel: LogLevel.ERROR };

function step(name) {
  console.log(`ok - ${name}`);
}

/** Records every event a client receives and waits, with a deadline, for one that matches. */
function recorder(rtm) {
  const events = [];
  const waiters = [];
  rtm.on('slack_event', (type, event) => {
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(event);
      }
    }
  });
  return {
    events,
    waitFor(description, match) {
      const seen = events.find(match);
      if (seen) {
        return Promise.resolve(seen);
      }
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out waiting for ${description}; received ${JSON.stringify(events)}`));
        }, DEADLINE_MS);
        waiters.push(w);
      });
    },
  };
}

async function register(name) {
  // users.register is Herald's own (Slack has no sign-up method); apiCall is the SDK's door to any method.
  const anonymous = new WebClient(undefined, options);
  const res = await anonymous.apiCall('users.register', { name });
  assert.equal(res.ok, true);
  return { id: res.user.id, token: res.token, web: new WebClient(res.token, options) };
}

async function connect(user) {
  const rtm = new RTMClient(user.token, { ...options, autoReconnect: false });
  const events = recorder(rtm);
  const ready = once(rtm, 'ready');
  const start = await rtm.start();
  assert.equal(start.self.id, user.id, 'rtm.connect self.id');
  assert.ok(start.team.id && start.team.domain !== undefined, 'rtm.connect team');
  assert.match(start.url, /^ws:\/\//, 'rtm.connect url');
  await ready;
  return { rtm, events };
}

async function main() {
  const alice = await register(`alice-${suffix}`);
  const bob = await register(`bob-${suffix}`);
  const carol = await register(`carol-${suffix}`);
  const auth = await alice.web.auth.test();
  assert.equal(auth.user_id, alice.id);
  step('register and auth.test');

  const created = await alice.web.conversations.create({ name: `sdk-${suffix}` });
  const channel = created.channel.id;
  assert.equal(created.channel.is_channel, true);
  step('conversations.create');

  const joined = await bob.web.conversations.join({ channel });
  assert.equal(joined.channel.id, channel);
  step('conversations.join');

  const [a, b] = await Promise.all([connect(alice), connect(bob)]);
  step('RTM connect (hello, then ready)');

  // HTTP post with blocks: the SDK sends them as a JSON string inside the form.
  const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello* over http' } }];
  const posted = await alice.web.chat.postMessage({ channel, text: 'hello over http', blocks });
  assert.equal(typeof posted.ts, 'string');
  assert.deepEqual(posted.message.blocks, blocks);
  const seenByBob = await b.events.waitFor('the HTTP post on bob\'s socket',
    (e) => e.type === 'message' && !e.subtype && e.ts === posted.ts);
  assert.equal(seenByBob.text, 'hello over http');
  assert.equal(seenByBob.user, alice.id);
  assert.equal(seenByBob.channel, channel);
  assert.equal(seenByBob.channel_type, 'channel');
  assert.deepEqual(seenByBob.blocks, blocks);
  step('chat.postMessage reaches the other client over RTM');

  const reply = await b.rtm.sendMessage('hello over rtm', channel);
  assert.equal(typeof reply.ts, 'string');
  const seenByAlice = await a.events.waitFor('the RTM post on alice\'s socket',
    (e) => e.type === 'message' && !e.subtype && e.ts === reply.ts);
  assert.equal(seenByAlice.text, 'hello over rtm');
  assert.equal(seenByAlice.user, bob.id);
  step('RTM sendMessage is acknowledged and reaches the other client');

  await a.rtm.sendTyping(channel);
  const typing = await b.events.waitFor('user_typing', (e) => e.type === 'user_typing' && e.user === alice.id);
  assert.equal(typing.channel, channel);
  step('RTM typing reaches the other member as user_typing');

  await bob.web.reactions.add({ channel, timestamp: posted.ts, name: 'thumbsup' });
  const reaction = await a.events.waitFor('reaction_added',
    (e) => e.type === 'reaction_added' && e.item.ts === posted.ts);
  assert.equal(reaction.user, bob.id);
  assert.equal(reaction.reaction, 'thumbsup');
  assert.equal(reaction.item_user, alice.id);
  step('reactions.add → reaction_added');

  const updated = await alice.web.chat.update({ channel, ts: posted.ts, text: 'edited over http' });
  assert.equal(updated.text, 'edited over http');
  const changed = await b.events.waitFor('message_changed',
    (e) => e.type === 'message' && e.subtype === 'message_changed' && e.message.ts === posted.ts);
  assert.equal(changed.message.text, 'edited over http');
  assert.equal(changed.message.edited.user, alice.id);
  assert.equal(changed.previous_message.text, 'hello over http');
  step('chat.update → message_changed');

  await alice.web.chat.delete({ channel, ts: posted.ts });
  const deleted = await b.events.waitFor('message_deleted',
    (e) => e.type === 'message' && e.subtype === 'message_deleted' && e.deleted_ts === posted.ts);
  assert.equal(deleted.channel, channel);
  step('chat.delete → message_deleted');

  const expected = [reply.ts];
  for (let i = 0; i < 7; i++) {
    expected.push((await alice.web.chat.postMessage({ channel, text: `page ${i}` })).ts);
  }
  const pages = [];
  for await (const page of alice.web.paginate('conversations.history', { channel, limit: 3 })) {
    pages.push(page.messages);
  }
  const paged = pages.flat();
  // The oldest message is bob's channel_join, posted when he joined; then what was posted since, each once.
  const join = paged[paged.length - 1];
  assert.equal(join.subtype, 'channel_join');
  assert.equal(join.user, bob.id);
  assert.deepEqual(paged.slice(0, -1).map((m) => m.ts), [...expected].reverse(),
    'paginated history, newest first, each message once');
  assert.equal(pages.length, 3);
  step(`paginate conversations.history (${pages.length} pages of up to 3)`);

  // carol's token is fresh: her users.info bucket (tier 4, kept small by the test's configuration) runs dry here.
  let rateLimited = 0;
  carol.web.on(WebClientEvent.RATE_LIMITED, (retryAfter) => {
    assert.equal(Number.isInteger(retryAfter), true, 'Retry-After is an integer');
    rateLimited += 1;
  });
  const burst = await Promise.all(Array.from({ length: 6 }, () => carol.web.users.info({ user: alice.id })));
  assert.equal(burst.every((r) => r.ok && r.user.id === alice.id), true);
  assert.ok(rateLimited >= 1, 'the server never rate-limited the burst');
  step(`a rate-limited burst is waited out and retried by the SDK (${rateLimited} rate_limited events)`);

  await assert.rejects(alice.web.chat.postMessage({ channel: 'C0NOTACHANNEL', text: 'lost' }), (err) => {
    assert.equal(err.code, ErrorCode.PlatformError);
    assert.equal(err.data.ok, false);
    assert.equal(err.data.error, 'channel_not_found');
    return true;
  });
  step('an API error surfaces as the SDK\'s platform error');

  // Only alice's client disconnects explicitly. @slack/rtm-api 7.0.4 keeps replies it awaits in a sparse array
  // indexed by message id and, on disconnect, calls cancel() on every slot, holes included: a client that ever
  // awaited a reply (bob's sendMessage) throws a TypeError from its state machine. Process exit closes bob's.
  await a.rtm.disconnect();
  step('RTM disconnect');
}

const watchdog = setTimeout(() => {
  console.error('not ok - the journey did not finish within 120 s');
  process.exit(1);
}, 120_000);

main().then(() => {
  clearTimeout(watchdog);
  console.log(`${variant}: all steps passed`);
  process.exit(0);
}, (err) => {
  console.error(`not ok - ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
