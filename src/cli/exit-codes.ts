/** Exit codes, as documented in docs/cli.md (a file of their own: `smf run` of a .smf needs no more of the command line). */
export const EXIT = { ok: 0, error: 1, usage: 2, trap: 3 } as const;
