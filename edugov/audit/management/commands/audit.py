from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.accounts.models import User
from edugov.audit import actions, ledger, note, signing, witnessing
from edugov.audit.models import Entry, Quarantine
from edugov.audit.verify import verify
from edugov.audit.witness import Witness, WitnessError
from edugov.kernel.errors import EdugovError


class Command(BaseCommand):
    help = "The full-process record: verify, tree heads, export, proofs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        ve = sub.add_parser("verify", help="recompute the whole ledger; check it extends what the witnesses hold")
        ve.add_argument("--witness", action="append", default=[], metavar="URL|DIR",
                        help="also check against this witness (besides those configured)")
        ve.add_argument("--domain", action="store_true",
                        help="also rebuild the domain tables' states from the ledger and name every difference")
        sub.add_parser("checkpoint", help="the newest signed head as a C2SP checkpoint, with its cosignatures")
        sub.add_parser("quarantine", help="list the entries the sequencer quarantined")
        rl = sub.add_parser("release", help="integrate a quarantined entry (a system administrator, with a reason)")
        rl.add_argument("entry", type=int)
        rl.add_argument("--by", required=True, help="the administrator's username")
        rl.add_argument("--reason", required=True)
        wi = sub.add_parser("witness", help="run or feed a witness")
        wsub = wi.add_subparsers(dest="witness_sub", required=True)
        w_init = wsub.add_parser("init", help="create a witness folder (outside this database and data directory)")
        w_init.add_argument("dir")
        w_init.add_argument("--name", required=True, help="the witness's key name, e.g. city.example/witness")
        w_init.add_argument("--label", default="", help="who keeps it, e.g. 示范市教育局")
        w_init.add_argument("--follow-this-ledger", action="store_true",
                            help="follow this installation's ledger with its current key")
        w_follow = wsub.add_parser("follow", help="follow a ledger: pin its origin and verifier key")
        w_follow.add_argument("dir")
        w_follow.add_argument("--origin", required=True)
        w_follow.add_argument("--vkey", required=True)
        w_add = wsub.add_parser("add", help="answer one add-checkpoint request read from stdin (tlog-witness)")
        w_add.add_argument("dir")
        w_show = wsub.add_parser("show", help="the witness's verifier key and the newest checkpoint of each ledger")
        w_show.add_argument("dir")
        wsub.add_parser("offer", help="offer the newest head to the configured witnesses")
        sub.add_parser("ledger-vkey", help="this ledger's origin and verifier key, for a witness to follow")
        th = sub.add_parser("tree-head", help="the newest signed tree head")
        th.add_argument("--json", action="store_true")
        ex = sub.add_parser("export", help="one line per integrated entry")
        ex.add_argument("--jsonl", action="store_true")
        ex.add_argument("--start", type=int, default=0)
        ex.add_argument("--end", type=int, default=None)
        pr = sub.add_parser("prove", help="inclusion proof for one entry")
        pr.add_argument("index", type=int)
        pr.add_argument("--tree-size", type=int, default=None)
        co = sub.add_parser("consistency", help="consistency proof between two tree sizes")
        co.add_argument("first", type=int)
        co.add_argument("second", type=int)
        sub.add_parser("integrate", help="integrate pending entries now")
        kg = sub.add_parser("keygen", help="create the tree-signing key file")
        kg.add_argument("--out", default=None)
        kg.add_argument("--rotate", action="store_true",
                        help="keep the current public key for old heads, then replace the signing key")
        sub.add_parser("public-key", help="print the public key (PEM)")
        vb = sub.add_parser("verify-bundle", help="check an evidence bundle (ZIP): every entry's inclusion proof, "
                                                  "the head's signature, the files' digests")
        vb.add_argument("bundle", type=Path)
        vb.add_argument("--key", type=Path, help="the ledger's public key (PEM) to pin; this installation's if absent")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, "do_" + opts["sub"].replace("-", "_"))(**opts)

    def _fail(self, problem: str) -> None:
        sys.stderr.write(f"FAIL {problem}\n")
        sys.exit(1)

    def do_verify_bundle(self, **opts: Any) -> None:
        from edugov.audit import evidence

        try:
            data = opts["bundle"].read_bytes()
            key = opts["key"].read_bytes() if opts["key"] else None
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = evidence.check(data, key)
        if not result.ok:
            for problem in result.problems:
                sys.stderr.write(f"FAIL {problem}\n")
            sys.exit(1)
        self.stdout.write(f"OK {result.entries} entries, {result.files} files, one signed tree head")

    def do_verify(self, **opts: Any) -> None:
        ledger.integrate()
        held = []
        for w in witnessing.configured(opts["witness"]):
            try:
                h = witnessing.held(w)
            except (WitnessError, note.NoteError, ValueError) as exc:
                self._fail(f"witness {w.label}: {exc}")
            if h is not None:
                held.append(h)
        result = verify(held=held)
        if not result.ok:
            self._fail(result.problem)
        if opts["domain"]:
            from edugov.audit.replay import replay

            differences = replay()
            for d in differences[:50]:
                sys.stderr.write(f"DIFF {d}\n")
            if differences:
                self._fail(f"{len(differences)} domain rows differ from what the ledger records (first: {differences[0]})")
        seen = ", ".join(f"{h.witness} at {h.tree_size}" for h in held)
        self.stdout.write(f"OK {result.tree_size} {result.root_hex}")
        if seen:
            self.stderr.write(f"witnessed: {seen}")

    def do_checkpoint(self, **opts: Any) -> None:
        ledger.integrate()
        head = ledger.latest_head()
        if head is None:
            raise CommandError("the ledger has no tree head yet", returncode=1)
        self.stdout.write(witnessing.checkpoint_note(head), ending="")

    def do_quarantine(self, **opts: Any) -> None:
        for q in Quarantine.objects.order_by("entry_id"):
            state = "released" if q.released else "waiting"
            self.stdout.write(f"{q.entry_id}\t{state}\t{q.found_at}\t{q.reason}")

    def do_release(self, **opts: Any) -> None:
        actor = User.objects.filter(username=opts["by"]).first()
        if actor is None:
            raise CommandError(f"no user {opts['by']}", returncode=2)
        try:
            actions.release(actor=actor, entry_id=opts["entry"], reason=opts["reason"])
        except EdugovError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"released entry {opts['entry']}; integrated {ledger.integrate()} entries")

    def do_ledger_vkey(self, **opts: Any) -> None:
        self.stdout.write(f"{witnessing.origin()}\n{witnessing.log_vkey()}")

    def do_witness(self, **opts: Any) -> None:
        sub = opts["witness_sub"]
        try:
            if sub == "offer":
                for line in witnessing.offer_all():
                    self.stdout.write(line)
                return
            if sub == "init":
                w = Witness.init(opts["dir"], opts["name"], opts["label"])
                if opts["follow_this_ledger"]:
                    w.follow(witnessing.origin(), witnessing.log_vkey())
                self.stdout.write(w.vkey)
                return
            w = Witness(opts["dir"])
            if sub == "follow":
                w.follow(opts["origin"], opts["vkey"])
            elif sub == "show":
                self.stdout.write(f"{w.label}\n{w.vkey}")
                for origin in w.config["logs"]:
                    self.stdout.write(f"\n{origin}:\n{w.latest(origin) or '(nothing cosigned yet)'}")
            elif sub == "add":
                answer = w.add_checkpoint(sys.stdin.buffer.read())
                self.stdout.write(answer.body, ending="")
                if not answer.ok:
                    sys.exit(1)
        except (WitnessError, note.NoteError) as exc:
            raise CommandError(str(exc), returncode=2) from None

    def do_tree_head(self, **opts: Any) -> None:
        ledger.integrate()
        head = ledger.latest_head()
        if head is None:
            raise CommandError("the ledger has no tree head yet", returncode=1)
        data = {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
                "signature": head.signature, "key_id": head.key_id}
        self.stdout.write(json.dumps(data) if opts["json"] else f"{head.tree_size} {head.root_hash} {head.timestamp}")

    def do_export(self, **opts: Any) -> None:
        qs = Entry.objects.filter(tree_index__isnull=False, tree_index__gte=opts["start"])
        if opts["end"] is not None:
            qs = qs.filter(tree_index__lt=opts["end"])
        out = self.stdout
        for index, body in qs.order_by("tree_index").values_list("tree_index", "body").iterator(chunk_size=5000):
            out.write(json.dumps({"index": index, "leaf": base64.b64encode(body.encode()).decode()}))

    def do_prove(self, **opts: Any) -> None:
        try:
            proof = ledger.inclusion_proof(opts["index"], opts["tree_size"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(json.dumps(proof))

    def do_consistency(self, **opts: Any) -> None:
        try:
            self.stdout.write(json.dumps(ledger.consistency(opts["first"], opts["second"])))
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def do_integrate(self, **opts: Any) -> None:
        self.stdout.write(str(ledger.integrate()))

    def do_keygen(self, **opts: Any) -> None:
        path = Path(opts["out"] or settings.EDUGOV["SIGNING_KEY_FILE"])
        if opts["rotate"] and path.exists():
            old_fp, new_fp = actions.rotate_key(path)
            self.stdout.write(f"recorded the rotation from {old_fp[:16]} to {new_fp[:16]}, signed by the old key; "
                              f"new signing key in {path}; pin {new_fp} beside the old fingerprint")
            return
        if path.exists():
            raise CommandError(f"{path} exists already; refusing to overwrite a signing key", returncode=2)
        signing.generate_key_file(path)
        self.stdout.write(f"created {path}")

    def do_public_key(self, **opts: Any) -> None:
        self.stdout.write(signing.public_key_pem())
