"""Asymmetric KMS keys through one real client: creates signing keys, signs, verifies with KMS, and verifies the
signature offline with the public key GetPublicKey returned (python `cryptography`).

Usage: python kms_signing.py CLIENT, CLIENT being boto3 or cli1 (this Python's boto3 / AWS CLI v1), or cli2 (the
Debian AWS CLI v2: run this script with /usr/bin/python3).
Environment: LOCALCLOUD_URL and the AWS_* variables of AwsClients.Environment. Prints a JSON list, one entry per key
spec and algorithm: {"keySpec", "algorithm", "messageType", "kmsValid", "offlineValid", "tamperedCode", "keyUsage"}.
"""
import base64
import contextlib
import hashlib
import io
import json
import os
import sys
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

CASES = [("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384"), ("RSA_2048", "RSASSA_PSS_SHA_256"),
         ("RSA_3072", "RSASSA_PKCS1_V1_5_SHA_256"), ("RSA_4096", "RSASSA_PSS_SHA_512")]
MESSAGE = b'{"evidence":"a record an auditor relies on"}'
HASHES = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}


class Client:
    def __init__(self, name):
        self.name = name
        self.endpoint = os.environ["LOCALCLOUD_URL"]
        if name == "boto3":
            import boto3
            self.kms = boto3.client("kms", endpoint_url=self.endpoint)

    def call(self, operation, **params):
        """Returns (output, error code); blobs go in as bytes and come out as bytes for every client."""
        if self.name == "boto3":
            from botocore.exceptions import ClientError
            try:
                return getattr(self.kms, operation)(**params), None
            except ClientError as error:
                return None, error.response["Error"]["Code"]
        return self.cli(operation, params)

    def cli(self, operation, params):
        """Runs the command through the AWS CLI this Python imports, in-process (as the aws command drives it): the
        v1 package for cli1, the Debian v2 package when this script runs on /usr/bin/python3 for cli2."""
        if not hasattr(self, "driver"):
            from awscli.clidriver import create_clidriver
            self.driver = create_clidriver()
        args = ["kms", operation.replace("_", "-"), "--endpoint-url", self.endpoint, "--output", "json"]
        with tempfile.TemporaryDirectory() as folder:
            for name, value in params.items():
                flag = "--" + "-".join(part.lower() for part in split_camel(name))
                if isinstance(value, bytes):
                    path = os.path.join(folder, name)
                    with open(path, "wb") as blob:
                        blob.write(value)
                    args += [flag, "fileb://" + path]
                else:
                    args += [flag, value]
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                rc = self.driver.main(args)
        if rc != 0:
            marker = "An error occurred ("
            text = stderr.getvalue()
            return None, text[text.index(marker) + len(marker):text.index(")", text.index(marker))] if marker in text else text
        output = json.loads(stdout.getvalue()) if stdout.getvalue().strip() else {}
        for blob in ("Signature", "PublicKey"):
            if blob in output:
                output[blob] = base64.b64decode(output[blob])
        return output, None


def split_camel(name):
    parts, current = [], ""
    for char in name:
        if char.isupper() and current:
            parts.append(current)
            current = ""
        current += char
    return parts + [current]


def verify_offline(public_der, algorithm, message, signature):
    key = serialization.load_der_public_key(public_der)
    digest = HASHES[algorithm[-3:]]
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, message, ec.ECDSA(digest))
        elif algorithm.startswith("RSASSA_PSS"):
            key.verify(signature, message, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size), digest)
        else:
            assert isinstance(key, rsa.RSAPublicKey)
            key.verify(signature, message, padding.PKCS1v15(), digest)
        return True
    except InvalidSignature:
        return False


def main():
    client = Client(sys.argv[1])
    results = []
    # boto3 covers every case; the CLIs (slower per call) one ECC and one RSA key, which exercise the same wire shapes.
    for key_spec, algorithm in CASES if client.name == "boto3" else CASES[::2][:2]:
        created, code = client.call("create_key", KeySpec=key_spec, KeyUsage="SIGN_VERIFY", Description="signing " + key_spec)
        if code:
            results.append({"keySpec": key_spec, "error": code})
            continue
        key_id = created["KeyMetadata"]["KeyId"]
        public, _ = client.call("get_public_key", KeyId=key_id)
        for message_type in ("RAW", "DIGEST"):
            message = MESSAGE if message_type == "RAW" else hashlib.new("sha" + algorithm[-3:], MESSAGE).digest()
            signed, code = client.call("sign", KeyId=key_id, Message=message, MessageType=message_type, SigningAlgorithm=algorithm)
            if code:
                results.append({"keySpec": key_spec, "algorithm": algorithm, "messageType": message_type, "error": code})
                continue
            verified, _ = client.call("verify", KeyId=key_id, Message=message, MessageType=message_type,
                                      Signature=signed["Signature"], SigningAlgorithm=algorithm)
            _, tampered = client.call("verify", KeyId=key_id, Message=message[:-1] + b"!", MessageType=message_type,
                                      Signature=signed["Signature"], SigningAlgorithm=algorithm)
            results.append({
                "keySpec": key_spec, "algorithm": algorithm, "messageType": message_type,
                "keyUsage": public["KeyUsage"], "signingAlgorithms": public["SigningAlgorithms"],
                "kmsValid": bool(verified and verified["SignatureValid"]),
                "offlineValid": verify_offline(public["PublicKey"], algorithm, MESSAGE, signed["Signature"]),
                "tamperedCode": tampered,
            })
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
