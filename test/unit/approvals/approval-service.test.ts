import { assertApprovalCovers, decide, expireApproval, requestApproval, submitApproval, viewApproval } from '../../../shared/approvals';
import { formOf, harness, linkOf, refundRequest, REFUND_CALL, T0 } from './fixture';

async function snapshot(h: ReturnType<typeof harness>) {
  return JSON.stringify([await h.stateTable.scan(), await h.auditTable.scan()]);
}

describe('requesting an approval', () => {
  test('stores it with a ≥128-bit id and emails each approver their own link', async () => {
    const h = harness();
    const r = await requestApproval(h.deps, refundRequest({ approvers: ['role:support-lead', 'priya'], quorum: 2 }));
    expect(r.approvalId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(r.emailed).toEqual(['sam@kestrel.example', 'priya@kestrel.example']);
    const approval = (await h.deps.store.get(r.approvalId))!;
    expect(approval).toMatchObject({
      status: 'pending',
      stage: 'primary',
      taskToken: 'token-primary',
      call: { toolUseId: 'tu-1', name: 'refunds.issue', input: REFUND_CALL.input },
      reason: REFUND_CALL.reason,
      approvers: ['sam', 'priya'],
      quorum: 2,
      deadline: '2025-01-15T14:00:00.000Z',
    });
    expect(approval.inputDigest).toMatch(/^[0-9a-f]{64}$/);
    const [toSam, toPriya] = h.mail;
    expect(toSam.to).toBe('sam@kestrel.example');
    // The subject leads with the tool's own sentence for people, whole; then who asks and why.
    expect(toSam.subject).toMatch(
      /^Refund \$120\.00 on order A-1042 — approval needed \(asked by agent "triage" in workflow "support-desk" because: The customer sent photos/,
    );
    expect(toSam.subject.length).toBeLessThanOrEqual(200);
    expect(toSam.text).toContain('"amount": 120');
    expect(toSam.html).toContain('&quot;amount&quot;: 120');
    expect(toSam.text).toContain('2 of 2 approvers must approve.');
    expect(linkOf(toSam).query.a).toBe('sam');
    expect(linkOf(toPriya).query.a).toBe('priya');
    expect(toSam.text).not.toContain('token-primary');
    expect((await h.deps.audit.records('run-1')).map((x) => x.kind)).toEqual(['approval.requested']);
  });

  test('refuses unknown approvers, an unreachable quorum, a digest that does not match the input', async () => {
    const h = harness();
    await expect(requestApproval(h.deps, refundRequest({ approvers: ['bob'] }))).rejects.toMatchObject({ code: 'Approval.InvalidRequest' });
    await expect(requestApproval(h.deps, refundRequest({ quorum: 2 }))).rejects.toThrow(/quorum 2 cannot be reached/);
    await expect(requestApproval(h.deps, refundRequest({ inputDigest: '0'.repeat(64) }))).rejects.toThrow(/inputDigest does not match/);
    await expect(requestApproval(h.deps, { ...refundRequest(), taskToken: undefined })).rejects.toThrow(/taskToken/);
    expect(h.mail).toHaveLength(0);
  });

  test('a retried task (new token) reuses the approval and re-sends the mail', async () => {
    const h = harness();
    const first = await requestApproval(h.deps, refundRequest());
    const again = await requestApproval(h.deps, refundRequest({ taskToken: 'token-retry' }));
    expect(again.approvalId).toBe(first.approvalId);
    expect((await h.deps.store.get(first.approvalId))!.taskToken).toBe('token-retry');
    expect(h.mail).toHaveLength(2);
  });
});

describe('deciding by link', () => {
  test('GET shows the request with both buttons and changes nothing; POST decides and resumes once', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    const { id, query } = linkOf(h.mail[0]);
    expect(id).toBe(approvalId);
    const before = await snapshot(h);
    const page = await viewApproval(h.deps, id, query);
    await viewApproval(h.deps, id, query); // a scanner fetching again
    expect(await snapshot(h)).toBe(before);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<button type="submit" name="decision" value="approve">Approve</button>');
    // Reject looks like Reject, as on the console's approval page: the two buttons are not told apart by place alone.
    expect(page.html).toContain('<button type="submit" name="decision" value="reject" class="danger">Reject</button>');
    expect(page.html).not.toMatch(/checked|selected|autofocus|<script/i);
    expect(page.html).not.toContain('token-primary');

    const form = formOf(page.html);
    const done = await submitApproval(h.deps, id, { ...form, decision: 'approve', comment: 'ok, photos checked' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('The request is approved');
    expect(h.resumed).toEqual([
      {
        token: 'token-primary',
        output: { approved: true, approvalId, decidedBy: ['sam'], comments: [{ by: 'sam', text: 'ok, photos checked' }], decidedAt: T0.toISOString() },
      },
    ]);
    // later clicks see the outcome and change nothing
    const again = await submitApproval(h.deps, id, { ...form, decision: 'reject' });
    expect(again.status).toBe(409);
    expect(again.html).toContain('Already approved');
    expect((await viewApproval(h.deps, id, query)).html).toContain('Already approved');
    expect(h.resumed).toHaveLength(1);
    const audit = await h.deps.audit.records('run-1');
    expect(audit.map((r) => r.kind)).toEqual(['approval.requested', 'approval.decided']);
    expect(audit[1].data).toMatchObject({ by: 'sam', decision: 'approve', via: 'web', outcome: 'approved' });
    expect((await h.deps.audit.verify('run-1')).ok).toBe(true);
  });

  test('a rejection resumes with approved: false', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest());
    const { id, query } = linkOf(h.mail[0]);
    const form = formOf((await viewApproval(h.deps, id, query)).html);
    expect((await submitApproval(h.deps, id, { ...form, decision: 'reject' })).html).toContain('The request is rejected');
    expect(h.resumed.map((r) => r.output.approved)).toEqual([false]);
    expect((await h.deps.store.get(id))!.status).toBe('rejected');
  });

  test('a form submitted without pressing Approve or Reject decides nothing', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest());
    const { id, query } = linkOf(h.mail[0]);
    const form = formOf((await viewApproval(h.deps, id, query)).html);
    const before = await snapshot(h);
    for (const decision of [undefined, '', 'yes', 'APPROVE']) {
      const page = await submitApproval(h.deps, id, { ...form, decision, comment: '' });
      expect(page.status).toBe(400);
      expect(page.html).toContain('Choose Approve or Reject');
    }
    expect(await snapshot(h)).toBe(before);
  });

  test('bad links and forms: clear pages, nothing changes', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest());
    const { id, query } = linkOf(h.mail[0]);
    const form = formOf((await viewApproval(h.deps, id, query)).html);
    const before = await snapshot(h);
    expect((await viewApproval(h.deps, id, { ...query, a: 'priya' })).html).toContain('Invalid link');
    expect((await viewApproval(h.deps, id, { ...query, sig: 'x' })).status).toBe(400);
    expect((await viewApproval(h.deps, 'AAAAAAAAAAAAAAAAAAAAAAAA', query)).html).toContain('Invalid link');
    expect((await viewApproval(h.deps, '../../etc', {})).status).toBe(400);
    // a form posted with the link signature instead of the page's token, or for another approver
    expect((await submitApproval(h.deps, id, { ...query, decision: 'approve' })).html).toContain('Form not accepted');
    expect((await submitApproval(h.deps, id, { ...form, a: 'priya', decision: 'approve' })).html).toContain('Form not accepted');
    // after the deadline
    h.clock.now = new Date(T0.getTime() + 4 * 3600_000);
    expect((await viewApproval(h.deps, id, query)).html).toContain('Link expired');
    expect((await submitApproval(h.deps, id, { ...form, decision: 'approve' })).status).toBe(410);
    expect(await snapshot(h)).toBe(before);
    expect(h.resumed).toHaveLength(0);
  });

  test('an approval that does not exist (valid signature, deleted record): unknown page', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest());
    const { id, query } = linkOf(h.mail[0]);
    await h.stateTable.delete({ pk: `approval#${id}`, sk: 'approval' });
    const page = await viewApproval(h.deps, id, query);
    expect(page.status).toBe(404);
    expect(page.html).toContain('Unknown request');
  });
});

describe('races and quorum', () => {
  test('two approvers deciding at the same moment: one outcome, one SendTaskSuccess', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest({ approvers: ['sam', 'priya'], quorum: 1 }));
    const forms = await Promise.all(h.mail.map(async (m) => formOf((await viewApproval(h.deps, linkOf(m).id, linkOf(m).query)).html)));
    const id = linkOf(h.mail[0]).id;
    const pages = await Promise.all([
      submitApproval(h.deps, id, { ...forms[0], decision: 'approve' }),
      submitApproval(h.deps, id, { ...forms[1], decision: 'approve' }),
    ]);
    expect(h.resumed).toHaveLength(1);
    expect(pages.map((p) => p.status).sort()).toEqual(expect.arrayContaining([200]));
    expect((await h.deps.store.get(id))!.status).toBe('approved');
  });

  test('one approver approving and another rejecting at once: exactly one resume', async () => {
    for (let i = 0; i < 10; i++) {
      const h = harness();
      await requestApproval(h.deps, refundRequest({ approvers: ['sam', 'priya'], quorum: 2 }));
      const id = linkOf(h.mail[0]).id;
      await Promise.all([
        decide(h.deps, { approvalId: id, approver: 'sam', vote: 'approve', via: 'web' }),
        decide(h.deps, { approvalId: id, approver: 'priya', vote: 'reject', via: 'web' }),
      ]);
      expect(h.resumed).toHaveLength(1);
      expect(h.resumed[0].output.approved).toBe(false);
    }
  });

  test('the same person submitting twice at once counts once', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest({ approvers: ['sam', 'priya'], quorum: 2 }));
    const { id, query } = linkOf(h.mail[0]);
    const form = formOf((await viewApproval(h.deps, id, query)).html);
    const pages = await Promise.all([
      submitApproval(h.deps, id, { ...form, decision: 'approve' }),
      submitApproval(h.deps, id, { ...form, decision: 'approve' }),
    ]);
    expect(pages.map((p) => p.status).sort()).toEqual([200, 409]);
    expect(await h.deps.store.decisions(id)).toHaveLength(1);
    expect((await h.deps.store.get(id))!.status).toBe('pending');
    expect(h.resumed).toHaveLength(0);
  });

  test('a quorum of 2 needs two different people', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest({ approvers: ['sam', 'priya', 'maya'], quorum: 2 }));
    const id = linkOf(h.mail[0]).id;
    expect(await decide(h.deps, { approvalId: id, approver: 'sam', vote: 'approve', via: 'cli' })).toMatchObject({
      kind: 'recorded',
      tally: { outcome: 'pending' },
    });
    expect(await decide(h.deps, { approvalId: id, approver: 'sam', vote: 'approve', via: 'web' })).toMatchObject({ kind: 'already-decided' });
    expect(await decide(h.deps, { approvalId: id, approver: 'leo', vote: 'approve', via: 'cli' })).toMatchObject({ kind: 'foreign' });
    expect(h.resumed).toHaveLength(0);
    h.clock.now = new Date(T0.getTime() + 60_000);
    expect(await decide(h.deps, { approvalId: id, approver: 'priya', vote: 'approve', via: 'web' })).toMatchObject({
      kind: 'recorded',
      resumed: true,
      tally: { outcome: 'approved' },
    });
    expect(h.resumed[0].output.decidedBy).toEqual(['sam', 'priya']);
  });
});

describe('inert HTML', () => {
  test('HTML/JS in the agent reason, the input and a comment is escaped in emails and pages', async () => {
    const h = harness();
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await requestApproval(
      h.deps,
      refundRequest({
        call: { ...REFUND_CALL, reason: evil, input: { ...REFUND_CALL.input, reason: `"><svg onload=alert(3)>` } },
        approvers: ['sam', 'priya'],
        quorum: 2,
      }),
    );
    const email = h.mail[0];
    expect(email.html).not.toMatch(/<script|<img|<svg/);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.subject).not.toMatch(/[\r\n]/);
    const { id, query } = linkOf(email);
    const page = await viewApproval(h.deps, id, query);
    expect(page.html).not.toMatch(/<script|<img|<svg/);
    expect(page.html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    await decide(h.deps, { approvalId: id, approver: 'sam', vote: 'reject', comment: '</li><script>steal()</script>', via: 'web' });
    await decide(h.deps, { approvalId: id, approver: 'priya', vote: 'reject', via: 'web' });
    const closed = await viewApproval(h.deps, id, query);
    expect(closed.html).toContain('&lt;/li&gt;&lt;script&gt;steal()&lt;/script&gt;');
    expect(closed.html).not.toMatch(/<script/);
  });

  test('a subject cannot inject mail headers', async () => {
    const h = harness();
    await requestApproval(h.deps, refundRequest({ call: { ...REFUND_CALL, reason: 'x\r\nBcc: attacker@evil.example' } }));
    expect(h.mail[0].subject).not.toMatch(/[\r\n]/);
  });
});

describe('escalation and deadlines', () => {
  test('$800: finance does not decide in time, the owner is asked, old links say escalated', async () => {
    const h = harness();
    await requestApproval(
      h.deps,
      refundRequest({ approvers: ['priya'], timeoutSeconds: 86_400, call: { ...REFUND_CALL, input: { ...REFUND_CALL.input, amount: 800 } } }),
    );
    const old = linkOf(h.mail[0]);
    const oldForm = formOf((await viewApproval(h.deps, old.id, old.query)).html);
    h.clock.now = new Date(T0.getTime() + 86_400_000);
    const r = await requestApproval(
      h.deps,
      refundRequest({
        stage: 'escalation',
        taskToken: 'token-escalation',
        approvers: ['maya'],
        timeoutSeconds: 86_400,
        call: { ...REFUND_CALL, input: { ...REFUND_CALL.input, amount: 800 } },
      }),
    );
    expect(r).toMatchObject({ approvalId: old.id, stage: 'escalation', emailed: ['maya@kestrel.example'] });
    expect(h.mail[1].subject).toMatch(/^\[Escalated\] Refund \$800\.00 on order A-1042 — approval needed/);
    expect(h.mail[1].text).toContain('escalated to you');
    expect((await viewApproval(h.deps, old.id, old.query)).html).toContain('Request escalated');
    expect((await submitApproval(h.deps, old.id, { ...oldForm, decision: 'approve' })).html).toContain('Request escalated');
    const fresh = linkOf(h.mail[1]);
    const form = formOf((await viewApproval(h.deps, fresh.id, fresh.query)).html);
    await submitApproval(h.deps, fresh.id, { ...form, decision: 'approve' });
    expect(h.resumed).toEqual([{ token: 'token-escalation', output: expect.objectContaining({ approved: true, decidedBy: ['maya'] }) }]);
    const approval = (await h.deps.store.get(old.id))!;
    expect(approval.history).toEqual([{ stage: 'primary', approvers: ['priya'], quorum: 1, deadline: '2025-01-16T10:00:00.000Z' }]);
    expect((await h.deps.audit.records('run-1')).map((x) => x.kind)).toEqual([
      'approval.requested',
      'approval.deadline_passed',
      'approval.escalated',
      'approval.decided',
    ]);
  });

  test('a retried task after the decision is resumed at once with the recorded outcome', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', via: 'cli' });
    const r = await requestApproval(h.deps, refundRequest({ taskToken: 'token-2' }));
    expect(r.resumedImmediately).toBe(true);
    expect(h.resumed.map((x) => [x.token, x.output.approved])).toEqual([
      ['token-primary', true],
      ['token-2', true],
    ]);
  });

  test('expireApproval closes an overdue approval once and audits it', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    expect(await expireApproval(h.deps, approvalId)).toBe(false);
    h.clock.now = new Date(T0.getTime() + 5 * 3600_000);
    expect(await expireApproval(h.deps, approvalId)).toBe(true);
    expect(await expireApproval(h.deps, approvalId)).toBe(false);
    expect(await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', via: 'cli' })).toMatchObject({ kind: 'closed' });
    expect((await h.deps.audit.records('run-1')).at(-1)).toMatchObject({ kind: 'approval.deadline_passed', data: { then: 'rejected' } });
  });
});

describe('binding to the exact input', () => {
  test('an approval covers only the approved input, tool and run', async () => {
    const h = harness();
    const { approvalId } = await requestApproval(h.deps, refundRequest());
    await expect(assertApprovalCovers(h.deps.store, approvalId, { runId: 'run-1', toolName: 'refunds.issue', input: REFUND_CALL.input })).rejects.toThrow(
      /pending, not approved/,
    );
    await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', via: 'web' });
    // key order does not matter
    const reordered = { currency: 'USD', reason: 'beans arrived crushed', amount: 120, orderId: 'A-1042' };
    await expect(assertApprovalCovers(h.deps.store, approvalId, { runId: 'run-1', toolName: 'refunds.issue', input: reordered })).resolves.toMatchObject({
      id: approvalId,
    });
    await expect(
      assertApprovalCovers(h.deps.store, approvalId, { runId: 'run-1', toolName: 'refunds.issue', input: { ...reordered, amount: 1200 } }),
    ).rejects.toMatchObject({
      code: 'Approval.Mismatch',
      message: expect.stringContaining('the input differs'),
    });
    await expect(assertApprovalCovers(h.deps.store, approvalId, { runId: 'run-2', toolName: 'refunds.issue', input: reordered })).rejects.toThrow(/run run-1/);
    await expect(assertApprovalCovers(h.deps.store, approvalId, { runId: 'run-1', toolName: 'email.send', input: reordered })).rejects.toThrow(
      /tool refunds.issue/,
    );
    await expect(assertApprovalCovers(h.deps.store, 'nope', { runId: 'run-1', toolName: 'x', input: {} })).rejects.toMatchObject({ code: 'Approval.NotFound' });
  });
});

test('a decision typed on the CLI keeps who typed it, in the decision and its audit record; the page needs none', async () => {
  const h = harness();
  const { approvalId } = await requestApproval(h.deps, refundRequest({ approvers: ['sam', 'priya'], quorum: 2 }));
  await decide(h.deps, { approvalId, approver: 'sam', vote: 'approve', via: 'cli', operator: 'dana@ops-laptop' });
  await decide(h.deps, { approvalId, approver: 'priya', vote: 'approve', via: 'web' });
  const decided = (await h.deps.audit.records('run-1')).filter((r) => r.kind === 'approval.decided').map((r) => r.data);
  expect(decided).toEqual([
    expect.objectContaining({ by: 'sam', via: 'cli', operator: 'dana@ops-laptop' }),
    expect.not.objectContaining({ operator: expect.anything() }),
  ]);
  expect((await h.deps.store.decisions(approvalId)).find((d) => d.approver === 'sam')).toMatchObject({ operator: 'dana@ops-laptop' });
});
