import { describe, expect, it } from 'vitest';
import { parseClusterUrl, redactUrl } from '../../dist/cluster/url.js';

describe('redactUrl', () => {
  it('replaces the password and keeps everything else', () => {
    expect(redactUrl('redis://alice:s3cret@db.example:6380/2')).toBe('redis://alice:***@db.example:6380/2');
    expect(redactUrl('rediss://:s3cret@10.0.0.5:6379')).toBe('rediss://:***@10.0.0.5:6379');
  });
  it('leaves a URL without a password as it is', () => {
    expect(redactUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
    expect(redactUrl('redis://bob@h:1')).toBe('redis://bob@h:1');
  });
  it('hides credentials of text that is not a valid URL', () => {
    expect(redactUrl('redis://user:pa ss@ho st')).not.toContain('pa ss');
    expect(redactUrl('redis://user:pa ss@ho st')).toBe('redis://user:***@ho st');
  });
});

describe('parseClusterUrl', () => {
  it('reads host, port, db, credentials (URL-decoded) and TLS', () => {
    expect(parseClusterUrl('rediss://alice:p%40ss@db.example:6380/3')).toEqual({
      host: 'db.example', port: 6380, db: 3, username: 'alice', password: 'p@ss', tls: true, display: 'rediss://alice:***@db.example:6380/3',
    });
    expect(parseClusterUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, db: 0, tls: false, display: 'redis://127.0.0.1' });
  });
  it('refuses other schemes, paths and query strings without showing the password', () => {
    for (const [url, msg] of [
      ['http://u:topsecret@h:1', /scheme must be redis: or rediss:/],
      ['redis://u:topsecret@h:1/abc', /database number/],
      ['redis://u:topsecret@h:1/0?tls=1', /query strings/],
      ['redis://u:topsecret@ho st:1', /not a URL/],
    ] as const) {
      let message = '';
      try {
        parseClusterUrl(url);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(msg);
      expect(message).not.toContain('topsecret');
    }
  });
});

// Hostile review class 22: the password need not be on the command line.
describe('the password from the environment', () => {
  it('comes from SWEEP_CLUSTER_PASSWORD, else REDISCLI_AUTH; one in the URL wins; never displayed', () => {
    expect(parseClusterUrl('redis://h:1/0', { SWEEP_CLUSTER_PASSWORD: 's3cret', REDISCLI_AUTH: 'other' })).toMatchObject({ password: 's3cret', display: 'redis://h:1/0' });
    expect(parseClusterUrl('redis://h:1/0', { REDISCLI_AUTH: 'other' }).password).toBe('other');
    expect(parseClusterUrl('redis://:inurl@h:1/0', { SWEEP_CLUSTER_PASSWORD: 's3cret' }).password).toBe('inurl');
    expect(parseClusterUrl('redis://h:1/0', {}).password).toBeUndefined();
  });
});
