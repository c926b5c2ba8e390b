/**
 * The local mailbox: every code Cognito would email (sign-up confirmation, resend, forgotten password), newest
 * first, kept in .local/mailbox.json so it survives a restart. Read by people (a page) and scripts (JSON).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export type MessageKind = 'sign-up' | 'resend' | 'forgot-password' | 'other';

export interface MailboxMessage {
  address: string;
  kind: MessageKind;
  code: string;
  time: string;
}

const KINDS: Record<string, MessageKind> = {
  SignUp: 'sign-up',
  ResendCode: 'resend',
  ForgotPassword: 'forgot-password',
};

export const kindOf = (cognitoSource: string): MessageKind => KINDS[cognitoSource] ?? 'other';

export class Mailbox {
  private messages: MailboxMessage[];

  /** Set when the file on disk could not be read: it was moved aside to this path and the mailbox starts empty. */
  readonly damagedCopy?: string;

  constructor(private readonly file: string) {
    this.messages = [];
    if (!existsSync(file)) return;
    try {
      const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(stored)) throw new Error('not a list');
      this.messages = stored as MailboxMessage[];
    } catch {
      // A truncated file (a crash mid-write) must not stop the system: codes can be sent again.
      this.damagedCopy = `${file}.damaged`;
      renameSync(file, this.damagedCopy);
    }
  }

  record(message: Omit<MailboxMessage, 'time'>): MailboxMessage {
    const entry = { ...message, time: new Date().toISOString() };
    this.messages.unshift(entry);
    // Written aside and renamed into place, so a crash never leaves half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.messages, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
    return entry;
  }

  /** Newest first; optionally only one address's. */
  list(address?: string): MailboxMessage[] {
    const wanted = address?.toLowerCase();
    return wanted ? this.messages.filter((m) => m.address.toLowerCase() === wanted) : [...this.messages];
  }
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The mailbox as a page a person reads, in the site's look: its stylesheet (`stylesheet`: the built site's, by its
 * hashed name) and its header, no style of its own (the site's Content-Security-Policy allows none inline).
 */
export function mailboxPage(messages: MailboxMessage[], stylesheet?: string): string {
  const rows = messages
    .map(
      (m) =>
        `<tr><td>${escape(m.time)}</td><td>${escape(m.address)}</td><td>${escape(m.kind)}</td><td class="code">${escape(m.code)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Local mailbox: Mythical Mysfits</title>
${stylesheet ? `<link rel="stylesheet" href="${escape(stylesheet)}">` : ''}
</head><body>
<header class="site"><a class="brand" href="/">Mythical Mysfits</a><nav aria-label="Main"><a href="/">Back to the site</a></nav></header>
<main class="mailbox">
<h1>Local mailbox</h1>
<p>Every code Cognito would have emailed, newest first. As JSON: <a href="/mailbox.json">/mailbox.json</a> (<code>?address=</code> filters).</p>
<table><thead><tr><th>Time</th><th>Address</th><th>Kind</th><th>Code</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No messages yet.</td></tr>'}</tbody></table>
</main>
<footer class="site">The local system only: in AWS these codes go by email.</footer>
</body></html>`;
}
