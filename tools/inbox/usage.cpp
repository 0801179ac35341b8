#include "tools/inbox/usage.hpp"

namespace signaal::inbox {

std::string usage_text() {
    return R"(signaal-inbox: the caseworker's and coordinator's command line for Signaal.

  signaal-inbox keygen --out FILE --staff ID [--no-passphrase]
  signaal-inbox --server URL --key FILE [--ca CERT.pem] COMMAND
    login                          sign in; show role, desks and each desk key's fingerprint
    list [--limit N]               each desk's reports, newest first (default 50 per desk)
    show ID                        fetch, decrypt and print one report, who reads it, who is
                                   pending, her consent changes and its messages, each judged
    forward ID [--desk D]          seal the report to the desks she added (all pending ones,
                                   or only D), after checking every consent change
    reply ID [--desk D] [--text TEXT]   answer the reporter in her mailbox (text from
                                   stdin without --text)
    status ID STATUS [--desk D]    new | acknowledged | in_progress | closed
    follow                         print each new signal, decrypted, as it arrives (Ctrl-C ends)
    desk init --desk D [--backup FILE]    make the desk's first key here; grant it to every holder
    desk rotate --desk D [--backup FILE]  make a new desk key; grant it to every current holder
    grant --desk D --to STAFF      give a colleague of the desk the desk keys you hold
    stats --from YYYY-Qn --to YYYY-Qn [--csv]   (coordinators) the quarters' aggregates

Options:
  --server URL   https://host[:port] of the instance; the sign-in is signed for exactly
                 this origin, so use the address the instance knows itself by
  --key FILE     your staff key file (from keygen); FILE.pins.json beside it keeps the
                 desk key fingerprints you accepted
  --ca CERT.pem  trust this certificate for the server (else the system's trust store)
  --help         this text

Passphrases are never taken from the command line. A locked key file (v2) is
opened with, in this order: --passphrase-file FILE (its last line end is
dropped), the environment variable SIGNAAL_PASSPHRASE, or a prompt on the
terminal (no echo). keygen and a desk key --backup ask twice on the terminal;
for automation they take the same file or variable (SIGNAAL_BACKUP_PASSPHRASE or
--backup-passphrase-file for a backup). keygen --no-passphrase writes an
unlocked file (v1): anyone who copies it can sign in as you.

A desk key that is new to you is shown with its fingerprint and who granted it,
and you are asked whether to trust it; without a terminal it is refused. A key
whose fingerprint differs from the pinned one is always refused.

show and forward check each consent change: it counts as the reporter's only
when its signature verifies against the mailbox key sealed inside the report,
its number follows the one before (1, 2, ...), and all the changes replayed
from the consent the report was sealed with give exactly the served consent,
desks and pending. forward refuses, and sends nothing, when any of that fails,
and seals only to a desk key whose fingerprint is pinned in FILE.pins.json or
accepted now on a terminal (without one a new key is refused; pin it first by
running forward on a terminal).

show checks each message: one from the reporter is shown as hers only when
its signature verifies against the mailbox key sealed inside the report, and
is otherwise REJECTED without its text; an n that repeats or falls below one
already seen from that sender is FLAGGED as a replay. A report whose served
reply keys differ from the sealed ones is marked, and reply refuses it.

Exit status: 0 done; 1 the server, the network or a file failed; 2 bad input
(nothing was sent); 3 a desk key or a report failed a check and was refused.
)";
}

} // namespace signaal::inbox
