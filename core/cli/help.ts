export const VERSION = '0.1.0';

export const MAIN_HELP = `ferry — design and run data integrations from files you keep in git

Usage:
  ferry validate <workspace>                    check every flow and connection file
  ferry run <workspace> <flow> [options]        run a flow headless
  ferry serve [workspace] [--port N] [--demo]   the flow editor in a browser, on 127.0.0.1
  ferry demo [--port N]                         the demo systems and the demo workspace, for trainers
  ferry new <workspace> --template <id>         a flow from a template (ferry new --list-templates)
  ferry auth <workspace> <connection>           sign a connection in through the browser (OAuth)
  ferry emulate <system> [--port N] [--data F]  a local stand-in of a remote system (business-central, acumatica,
                                                lightspeed)
  ferry --help | ferry <command> --help
  ferry --version

A workspace is a folder with ferry.workspace.json, connections/*.connection.json and
flows/*.flow.json. <flow> is a flow id (flows/<id>.flow.json) or that file's path.

Exit codes:
  0  ok
  1  some records failed (or the error policy stopped the run)
  2  invalid input: a workspace, flow or option is wrong (the message names file and field)
  3  connection failure: a remote system could not be reached or refused the credentials
  70  internal error (a bug in Ferry: please report it with FERRY_DEBUG=1 output)
  130 cancelled (Ctrl+C)

Environment:
  FERRY_DATA_DIR                      where run history and watermarks live (default: the app-data folder)
  FERRY_SECRETS                       where connection secrets live: keychain (default: the OS keychain,
                                      shared with the desktop app), env (variables only), or vault
  FERRY_SECRET_<CONNECTION>_<FIELD>   a connection's secret for headless runs, e.g. FERRY_SECRET_SHOP_TOKEN;
                                      read before the keychain or vault
  FERRY_VAULT_PASSPHRASE              the passphrase of the encrypted vault file (FERRY_SECRETS=vault)
  FERRY_VAULT_FILE                    the vault file (default: secrets.vault in the app-data folder)
  FERRY_DEMO_PORTS                    ports of the demo systems: 0 (ports the OS picks) or
                                      <system>=<port>,… (default: shop 4010, business-central 4020,
                                      acumatica 4030, lightspeed 4040)

Secrets are never stored in plain text: without a keychain (a server without Secret Service),
use FERRY_SECRET_* variables or FERRY_SECRETS=vault with FERRY_VAULT_PASSPHRASE.
`;

export const RUN_HELP = `ferry run <workspace> <flow> [options]

Runs a flow with the same engine as the desktop app. Incremental sources read only records
changed since the flow's stored watermark; the watermark advances only past records that
reached a final outcome, so a crash or Ctrl+C never skips a record.

Options:
  --dry-run          read, map and filter, but write nothing; report what would be created/updated
  --since <value>    read records changed after this ISO date-time (or version number) instead of
                     the stored watermark; backdates an incremental sync
  --json             print run events as JSON lines on stdout (run-started, progress,
                     record-failed, run-finished with the summary)
  --junit <file>     also write a JUnit XML report (one test case per node) for CI pipelines
  -h, --help         this text

Secrets come from FERRY_SECRET_<CONNECTION>_<FIELD> variables, then from the store named by
FERRY_SECRETS: the OS keychain (default; the entries the desktop app saved), or the encrypted
vault (FERRY_SECRETS=vault, FERRY_VAULT_PASSPHRASE). The keychain is only used when the flow
needs a secret, so flows without connections run on machines without one.
`;

export const AUTH_HELP = `ferry auth <workspace> <connection>

Signs a connection in through the browser: OAuth 2.0 with the authorization code and PKCE,
for connections whose settings choose it (Acumatica: auth oauth-code). Prints the address of
the provider's sign-in page; open it in a browser on this computer, sign in and consent. The
browser comes back to http://127.0.0.1:<port>/callback, where Ferry waits (5 minutes at
most; only this computer can reach it); the refresh token is stored in the secret store that
ferry run, ferry serve and the desktop app read, and replaced whenever the provider rotates it.

<connection> is a connection id (connections/<id>.connection.json), that file's path or the
connection's name. The port is the connection's redirectPort, the one registered with the
provider (Acumatica: Connected Applications, SM303010, Redirect URIs).

The token is stored in the OS keychain, or the encrypted vault with FERRY_SECRETS=vault and
FERRY_VAULT_PASSPHRASE; FERRY_SECRETS=env cannot store it.

Exit codes: 0 signed in; 2 the workspace, the connection or its settings are wrong (no such
connection, a connector without browser sign-in, settings that choose another grant, no
redirect port, the port taken, a secret store that cannot save); 3 the sign-in failed: refused
or cancelled in the browser, the code exchange refused, or no answer in time; 130 Ctrl+C.
`;

export const VALIDATE_HELP = `ferry validate <workspace>

Checks ferry.workspace.json, every connection and every flow: JSON syntax, schema, node
configuration against each connector, expressions, edges and ports. Each problem names the
file, the JSON path and what was expected. Exits 0 when all is valid, 2 otherwise.
`;

export const SERVE_HELP = `ferry serve [workspace] [--port N] [--demo]

Serves the Ferry editor and its API to a browser on this computer (127.0.0.1 only), with
the same engine and files as the desktop app. Prints a URL with a random access token for
this launch; requests without the token are refused (401). Runs until Ctrl+C.

Options:
  -p, --port <N>     listen on port N (default: a free port)
  --demo             also start the demo systems (see ferry demo --help) and give the workspace
                     their connections and a flow from every template they serve; without a
                     workspace, open the demo workspace (a copy of the examples in the
                     app-data folder)
  -h, --help         this text

Secrets of connections are saved to and read from the OS keychain (the same entries as the
desktop app and ferry run). FERRY_SECRETS=vault keeps them in an encrypted file instead,
opened with FERRY_VAULT_PASSPHRASE (file: FERRY_VAULT_FILE, default secrets.vault in the
app-data folder); FERRY_SECRETS=env reads FERRY_SECRET_<CONNECTION>_<FIELD> variables only.
Without a working keychain, serve starts with a warning; the connection editor says why and
offers to create or open the vault with a passphrase (remembered for the next start, when
the vault stays locked until its passphrase is given again).
`;

export const EMULATE_HELP = `ferry emulate <system> [--port N] [--data <file>]

Runs a local emulator of a remote system on 127.0.0.1, for trying flows and connections
without the real one. Prints its URLs, the demo credentials and the demo companies; runs
until Ctrl+C.

Systems:
  business-central   Dynamics 365 Business Central: the online API v2.0 with an OAuth
                     client-credentials token endpoint, and an on-premises server (BC14,
                     API v1.0 and v2.0) with Basic auth; two CRONUS demo companies
  acumatica          Acumatica ERP: the contract-based REST API (Default, MANUFACTURING,
                     eCommerce endpoints, 20.200.001 to 24.200.001) with cookie sign-in
                     and OAuth 2.0, licence limits, the training company's demo records
  lightspeed         Lightspeed Retail (X-Series): API 2.0 (with 2.1 product updates and
                     0.9 register_sales), a personal token and OAuth 2.0 with rotating
                     refresh tokens, the rate limit (300 × registers + 50 per 5 minutes,
                     429 with an HTTP-date Retry-After), a demo store with outlets,
                     registers, variant products, customers and sales

Options:
  -p, --port <N>     listen on port N (default: a free port)
  --data <file>      keep the emulator's data in this JSON file: loaded when it exists,
                     created from the demo data otherwise, saved after every change
  -h, --help         this text
`;

export const DEMO_HELP = `ferry demo [--port N]

For trainers: starts every demo system on this computer with its demo data, opens the demo
workspace (a copy of the examples in the app-data folder) with a connection to each system
and a flow from every template they serve, and serves the editor like ferry serve
(the same as ferry serve --demo). Prints the editor's URL; runs until Ctrl+C. No network
is needed.

Demo systems (127.0.0.1 only, fixed ports so the demo workspace works every time):
  shop               a small REST shop API (products)                 port 4010
  business-central   Business Central: online API v2.0 and on premises port 4020
  acumatica          Acumatica ERP: the training company (MyStore)    port 4030
  lightspeed         Lightspeed Retail (X-Series): a demo store        port 4040

A system whose port is taken (another demo still running?) is reported and left out; the
others start. FERRY_DEMO_PORTS=<system>=<port>,… moves them (0: a port the OS picks). In
the app, "Start demo systems" does the same in the open workspace, and the data browser
shows each system's records as a run writes them.

Options:
  -p, --port <N>     the editor's port (default: a free port)
  -h, --help         this text
`;

export const NEW_HELP = `ferry new <workspace> --template <id> [--set key=value ...] [--connection role=id ...]
ferry new --list-templates

Makes a flow from a template: flows/<id>.flow.json, its id from the name (never over an
existing file), plus the value maps the template brings that the workspace lacks. Each of
the template's roles (source, destination, …) takes a connection of its connector.

Options:
  -t, --template <id>        the template (ferry new --list-templates lists them)
  --set <key>=<value>        a setting (repeatable); those left out take their defaults
  --connection <role>=<id>   the connection of a role (repeatable); without it, the
                             workspace's only connection of that connector
  --name <name>              the flow's name (default: the template's)
  --list-templates           list the templates with their roles and settings
  -h, --help                 this text

Example:
  ferry new . --template acumatica-stock-items-to-bc-items --set operation=createOnly \\
    --connection source=acumatica-prod
`;
