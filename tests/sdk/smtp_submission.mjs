// smtp_submission.mjs - nodemailer (pinned in package.json) sends one
// message through Tern's SMTP submission, for tests/integration/
// submission_nodemailer_test.cpp.
//
// Environment: SMTP_PORT, SMTP_SECURE ("true": implicit TLS, else STARTTLS,
// required), SMTP_PASS (an API key), SMTP_CA (PEM file trusted for the
// server's certificate, name "localhost"), SMTP_FROM, SMTP_TO (comma list),
// RAW_OUT (where the exact message bytes sent are written).
// The message has non-ASCII headers, a text and an HTML part, an inline
// image and two attachments (one binary). Prints {"response": ...} on
// success; exits 1 with the error otherwise.
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

const env = process.env;
const binary = Buffer.alloc(3000);
for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) & 0xff;

const mail = new MailComposer({
  from: { name: 'Jürgen Müller — Acme', address: env.SMTP_FROM },
  to: env.SMTP_TO.split(','),
  subject: 'Grüße aus Tern ✓ — ünïcödé subject that is long enough to be folded by the composer',
  text: 'Hallo!\n.a line that starts with a dot\nÄÖÜ äöü ß\n',
  html: '<p>Hallo <b>Jürgen</b> <img src="cid:logo@acme.test"></p>',
  headers: { 'X-Entity-Ref-ID': 'ref-ü-1' },
  attachments: [
    { filename: 'Übersicht.txt', content: 'Zeile 1\nZeile 2 — ünïcödé\n' },
    { filename: 'data.bin', content: binary, contentType: 'application/octet-stream' },
    { filename: 'logo.png', content: Buffer.from('89504e470d0a1a0a', 'hex'), cid: 'logo@acme.test' },
  ],
});

try {
  const raw = await mail.compile().build();
  fs.writeFileSync(env.RAW_OUT, raw);
  const secure = env.SMTP_SECURE === 'true';
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(env.SMTP_PORT),
    secure,
    requireTLS: !secure,
    auth: { user: 'resend', pass: env.SMTP_PASS },
    tls: { ca: fs.readFileSync(env.SMTP_CA), servername: 'localhost' },
  });
  const info = await transport.sendMail({
    envelope: { from: env.SMTP_FROM, to: env.SMTP_TO.split(',') },
    raw,
  });
  console.log(JSON.stringify({ response: info.response }));
  transport.close();
} catch (err) {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(1);
}
