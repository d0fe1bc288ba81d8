import { bi, messages } from './bi.js';

/** Who may open the local console (src/console/access.ts), and its login page for other machines. */
export const access = messages(
  {
    /** A client on another machine, or behind a proxy, without the secret. */
    localOnly: bi(
      '督学控制台只对本机开放:请在运行督学的电脑上用 http://localhost:端口号/ 打开。',
      'The Duxue console answers this machine only: open it at http://localhost:<port>/ on the server.',
    ),
    needSecret: bi(
      '督学控制台只对本机开放。从其他电脑访问,请先在 /console/login 输入控制台口令(DUXUE_CONSOLE_SECRET)。',
      'The Duxue console answers this machine only. From another machine, log in at /console/login with DUXUE_CONSOLE_SECRET.',
    ),
    noSecretSet: bi(
      '未设置 DUXUE_CONSOLE_SECRET,控制台不接受其他电脑登录。',
      'DUXUE_CONSOLE_SECRET is not set: the console accepts no login from other machines.',
    ),
    loginTitle: '督学控制台 · 登录',
    loginPrompt: '请输入控制台口令(服务器上的 DUXUE_CONSOLE_SECRET)',
    loginButton: '登录',
    wrongSecret: '口令不对,请重试。',
  },
  {
    localOnly: 'The Duxue console answers this machine only: open it at http://localhost:<port>/ on the server.',
    needSecret: 'The Duxue console answers this machine only. From another machine, log in at /console/login with DUXUE_CONSOLE_SECRET.',
    noSecretSet: 'DUXUE_CONSOLE_SECRET is not set: the console accepts no login from other machines.',
    loginTitle: 'Duxue console · Log in',
    loginPrompt: 'Console secret (DUXUE_CONSOLE_SECRET on the server)',
    loginButton: 'Log in',
    wrongSecret: 'That is not the secret; please try again.',
  },
);
