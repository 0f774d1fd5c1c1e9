"""The bureau's document-signing certificate and the PAdES signature of issued PDFs (pyHanko).

Production takes the bureau's own key and certificate chain (files named in settings
EDUGOV["DOCUMENT_SIGNING"], kept like the ledger's key: outside the database, readable by the web
and worker processes only; docs/operations.md, "Document signing"). The demo, which has no
bureau CA, makes its own on first use: a CA and a signing certificate under var/keys/, marked
demo-only in their names. A PDF reader that trusts that CA shows the signature valid; pyHanko's
validator with the CA as its trust root accepts an untouched PDF and rejects a changed one.

The signature is a certification signature allowing no changes (DocMDP P=1): an issued document
is final, so an incremental update that replaces a page or adds text is not an allowed change and
validation fails, as it does for any changed byte."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Paths:
    key: Path
    certificate: Path
    chain: Path  # the CA certificates above the signing certificate, PEM, nearest first


def paths() -> Paths:
    conf = settings.EDUGOV["DOCUMENT_SIGNING"]
    return Paths(Path(conf["KEY_FILE"]), Path(conf["CERT_FILE"]), Path(conf["CHAIN_FILE"]))


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(*, sign_documents: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign_documents, content_commitment=sign_documents, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not sign_documents,
                         crl_sign=not sign_documents, encipher_only=False, decipher_only=False)


def generate_demo_certificates(target: Paths, organisation: str = "edugov demo") -> None:
    """A demo CA and a document-signing certificate under it (RSA 2048, SHA-256). Validity spans
    2000–2099 so that documents the demo dates in the past, and the time-travel tests, sign and
    validate on any day; a real bureau's certificate has its CA's terms."""
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(2099, 12, 31, tzinfo=dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("DEMO ONLY edugov document CA", organisation)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_usage(sign_documents=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (x509.CertificateBuilder().subject_name(_name("DEMO ONLY edugov document signing", organisation))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign_documents=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    target.key.parent.mkdir(parents=True, exist_ok=True)
    # the key first, exclusively: a second process starting at the same moment finds it and waits
    fd = os.open(str(target.key), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    for path, cert in ((target.chain, ca), (target.certificate, leaf)):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        tmp.replace(path)


@dataclass(frozen=True)
class Material:
    key_der: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


@lru_cache(maxsize=4)
def _load(key_path: str, cert_path: str, chain_path: str, create: bool) -> Material:
    target = Paths(Path(key_path), Path(cert_path), Path(chain_path))
    if not target.key.exists():
        if not create:
            raise ImproperlyConfigured(
                f"The document-signing key {target.key} does not exist; install the bureau's key and certificate "
                "(docs/operations.md, Document signing).")
        with contextlib.suppress(FileExistsError):  # another process made them first
            generate_demo_certificates(target)
    for _attempt in range(50):  # the other process may still be writing the certificates
        if target.certificate.exists() and target.chain.exists():
            break
        import time
        time.sleep(0.1)
    key = serialization.load_pem_private_key(target.key.read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate(target.certificate.read_bytes())
    chain = tuple(x509.load_pem_x509_certificates(target.chain.read_bytes()))
    if certificate.public_key().public_numbers() != key.public_key().public_numbers():  # type: ignore[union-attr]
        raise ImproperlyConfigured(f"{target.certificate} does not belong to the key {target.key}")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return Material(der, certificate, chain)


def material() -> Material:
    p = paths()
    return _load(str(p.key), str(p.certificate), str(p.chain), bool(settings.EDUGOV.get("DEMO")))


def certificates_pem() -> str:
    """The signing certificate, then the CAs above it (what /verify/certificates.pem serves)."""
    m = material()
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in (m.certificate, *m.chain))


def _asn1(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _outside_event_loop(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run `fn` here, or in a thread of its own where an event loop is running already (an async
    caller, a test driving a browser): pyHanko runs its own loop to sign and to validate."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def sign(pdf: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
    """The PDF with a PAdES baseline certification signature (no changes allowed after it)."""
    return bytes(_outside_event_loop(_sign, pdf, signer_name=signer_name, reason=reason, location=location))


def _sign(pdf: bytes, *, signer_name: str, reason: str, location: str) -> bytes:
    from asn1crypto import keys as asn1_keys
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    m = material()
    signer = signers.SimpleSigner(signing_cert=_asn1(m.certificate),
                                  signing_key=asn1_keys.PrivateKeyInfo.load(m.key_der),
                                  cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in m.chain]))
    meta = signers.PdfSignatureMetadata(
        field_name="BureauSeal", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256", certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES, name=signer_name, reason=reason, location=location)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class Validation:
    valid: bool
    problem: str  # empty when valid


def validate(data: bytes, trust_roots: list[x509.Certificate] | None = None) -> Validation:
    """Validate a PDF's signature as a reader would, with the bureau's CA (or `trust_roots`) as the
    only trust root: intact, made by a certificate under that CA, covering the whole file, nothing
    changed after it."""
    result: Validation = _outside_event_loop(_validate, data, trust_roots)
    return result


def _validate(data: bytes, trust_roots: list[x509.Certificate] | None) -> Validation:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots if trust_roots is not None else list(material().chain[-1:])
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return Validation(False, "no signature")
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[_asn1(r) for r in roots]))
    except Exception as exc:  # a damaged file is an invalid document, whatever the parser says
        return Validation(False, f"unreadable: {type(exc).__name__}")
    if not status.intact:
        return Validation(False, "the signed bytes were changed")
    if not status.valid or not status.trusted:
        return Validation(False, "the signature is not by the bureau's certificate")
    if not status.bottom_line or len(signatures) != 1:
        return Validation(False, "the document was changed after it was signed")
    return Validation(True, "")
