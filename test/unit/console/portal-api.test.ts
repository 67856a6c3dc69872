import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  loadMe,
  NEW_INVITE_MESSAGE,
  NEW_INVITE_NEEDED,
  PortalError,
} from '../../../console/src/portal/portal-api';
import type { ConsoleConfig } from '../../../infra/console-config';
import { NEW_INVITE_NEEDED as API_TITLE } from '../../../shared/http/tenant';

const config = { api_url: 'https://api.example.com' } as ConsoleConfig;

const answer = (status: number, body: unknown) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the portal page loading the signed-in parent', () => {
  it('tells a parent whose account predates the parent attributes to ask the school for a new invite', async () => {
    expect(NEW_INVITE_NEEDED).toBe(API_TITLE);
    answer(403, { title: API_TITLE, status: 403, detail: 'ask the school for a new invite' });
    const loading = loadMe(config, 'id-token');
    await expect(loading).rejects.toBeInstanceOf(PortalError);
    await expect(loading).rejects.toThrow(NEW_INVITE_MESSAGE);
    expect(NEW_INVITE_MESSAGE).toMatch(/Ask the school to send you a new invite/);
  });

  it('asks to sign in again after any other refusal', async () => {
    answer(403, { title: 'Forbidden', status: 403, detail: 'The token names no parent' });
    await expect(loadMe(config, 'id-token')).rejects.toThrow(
      'Your details could not be loaded. Sign in again.',
    );
  });

  it("shows the parent's details", async () => {
    const me = { father_name: 'George', mother_name: null, children: [] };
    answer(200, me);
    expect(await loadMe(config, 'id-token')).toEqual(me);
    expect(fetch).toHaveBeenCalledWith('https://api.example.com/portal/me', {
      headers: { authorization: 'Bearer id-token' },
    });
  });
});
