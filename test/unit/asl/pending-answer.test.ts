/** A caller's promise answered once its work commits (run.ts pendingAnswer): each answer settles its own promise. */
import { answerLast, pendingAnswer, resolverOfLast } from '../../../local/stepfunctions/run';

test('each answer settles the promise made just before it, with its value or the error that rolled it back', async () => {
  const first = pendingAnswer<number>();
  const settleFirst = answerLast(1);
  const second = pendingAnswer<string>();
  const settleSecond = answerLast('two');
  const third = pendingAnswer<number>();
  const resolveThird = resolverOfLast<number>();
  settleSecond(new Error('rolled back'));
  settleFirst();
  resolveThird(3);
  await expect(first).resolves.toBe(1);
  await expect(second).rejects.toThrow('rolled back');
  await expect(third).resolves.toBe(3);
});
