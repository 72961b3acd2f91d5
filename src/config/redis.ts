/** What every Redis-backed store shares about its connection (REDIS_URL). */
import type Redis from 'ioredis';

/**
 * While (re)connecting, a command waits for the connection a little rather than failing at once;
 * the promise resolves when the client is ready or `timeoutMs` has passed, whichever comes first.
 */
export function readiness(redis: Redis, timeoutMs: number): () => Promise<void> {
  let waiting: Promise<void> | undefined;
  return () => {
    if (redis.status === 'ready') return Promise.resolve();
    // One listener however many calls wait: they share this promise.
    waiting ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        waiting = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      redis.once('ready', done);
    });
    return waiting;
  };
}
