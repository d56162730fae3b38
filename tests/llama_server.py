"""A real OpenAI-compatible server for the tests: llama.cpp's, serving a tiny model made here.

The model is a llama-architecture GGUF file written with the `gguf` package:
two layers, 64-wide, seeded random weights, a vocabulary of single characters,
a few English words and every byte (so any text tokenizes), and a ChatML chat
template in its metadata so that `/v1/chat/completions` works.  Its answers are
random text, which is what a test of validation and retries needs: they fail
the checks for real.  Nothing is downloaded.

`python -m llama_cpp.server` comes from `llama-cpp-python[server]`, built from
source (about 40 minutes on a 2-core machine), so CI does not build it: the
tests that need it skip, saying why, when it is not importable.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

MODEL_NAME = "tiny-llama"
#: ChatML, as many instruction-tuned models write it.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
WORDS = ("the", "of", "and", "to", "in", "for", "is", "on", "that", "by", "with", "policy", "aid")
#: Pashto, Dari and Urdu letters, so that the random answers are partly in Arabic script.
ARABIC = "ابپتټثجچحخدډذرړزژږسشښصضطظعغفقکګلمنڼوهیيېۍئےہھآ"


@dataclass(frozen=True)
class Dimensions:
    embedding: int = 64
    layers: int = 2
    heads: int = 4
    feed_forward: int = 128
    context: int = 8192
    stop_strength: float = 16.0  # how surely an Arabic letter, and only one, ends the answer


def vocabulary() -> tuple[list[str], list[int], list[float]]:
    """Tokens, their GGUF token types and scores: SentencePiece style, with byte fallback."""
    import gguf

    types = gguf.TokenType
    # no "</s>": llama.cpp would end answers on it; <|im_end|> ends a turn, as in ChatML
    tokens = ["<unk>", "<s>", "<|im_start|>", "<|im_end|>"]
    kinds = [types.UNKNOWN, types.CONTROL, types.CONTROL, types.CONTROL]
    tokens += [f"<0x{byte:02X}>" for byte in range(256)]
    kinds += [types.BYTE] * 256
    pieces = ["▁", *(f"▁{word}" for word in WORDS)]
    pieces += [chr(c) for c in range(33, 127)] + list(dict.fromkeys(ARABIC))
    tokens += pieces
    kinds += [types.NORMAL] * len(pieces)
    # SentencePiece merges the highest-scoring pieces first: longer pieces score higher.
    scores = [0.0] * (len(tokens) - len(pieces)) + [float(len(p)) for p in pieces]
    return tokens, [int(k) for k in kinds], scores


def write_tiny_model(path: Path, dims: Dimensions | None = None, seed: int = 11) -> Path:
    """A llama-architecture GGUF file of about a megabyte (float32), deterministic per seed."""
    import gguf

    dims = dims or Dimensions()
    tokens, kinds, scores = vocabulary()
    rng = np.random.default_rng(seed)

    def weights(*shape: int, scale: float = 0.08) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    tensor = gguf.MODEL_TENSOR

    def name(part: gguf.MODEL_TENSOR, block: int = 0) -> str:
        return gguf.TENSOR_NAMES[part].format(bid=block) + ".weight"

    width, ff = dims.embedding, dims.feed_forward
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name(MODEL_NAME)
    writer.add_context_length(dims.context)
    writer.add_embedding_length(width)
    writer.add_block_count(dims.layers)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(dims.heads)
    writer.add_head_count_kv(dims.heads)
    writer.add_rope_dimension_count(width // dims.heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_types(kinds)
    writer.add_token_scores(scores)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_add_bos_token(True)
    writer.add_chat_template(CHAT_TEMPLATE)

    # An answer ends after its first Arabic letter: those letters share a direction of
    # the embedding that only the end-of-turn token's output row reads.  Without it a
    # random model writes until max_tokens and every answer is cut off.
    ending = rng.standard_normal(width).astype(np.float32)
    ending /= np.linalg.norm(ending)
    embeddings = weights(len(tokens), width, scale=1.0)
    for letter in dict.fromkeys(ARABIC):
        embeddings[tokens.index(letter)] += dims.stop_strength * ending
    output = weights(len(tokens), width, scale=1.0)
    output[tokens.index("<|im_end|>")] = dims.stop_strength / 4 * ending
    writer.add_tensor(name(tensor.TOKEN_EMBD), embeddings)
    for block in range(dims.layers):
        for part, shape in (
            (tensor.ATTN_Q, (width, width)),
            (tensor.ATTN_K, (width, width)),
            (tensor.ATTN_V, (width, width)),
            (tensor.ATTN_OUT, (width, width)),
            (tensor.FFN_GATE, (ff, width)),
            (tensor.FFN_UP, (ff, width)),
            (tensor.FFN_DOWN, (width, ff)),
        ):
            writer.add_tensor(name(part, block), weights(*shape))
        for norm in (tensor.ATTN_NORM, tensor.FFN_NORM):
            writer.add_tensor(name(norm, block), np.ones(width, dtype=np.float32))
    writer.add_tensor(name(tensor.OUTPUT_NORM), np.ones(width, dtype=np.float32))
    writer.add_tensor(name(tensor.OUTPUT), output)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def unavailable() -> str | None:
    """Why llama.cpp's server cannot run here (the import error, word for word), or None."""
    for module in ("gguf", "llama_cpp.server.app"):
        try:
            importlib.import_module(module)
        except Exception as exc:  # an ImportError, or the shared library failing to load
            return f"{module} is not importable: {type(exc).__name__}: {exc}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LlamaServer:
    """One `python -m llama_cpp.server` process on 127.0.0.1."""

    model: Path
    log: Path
    api_key: str | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0  # seconds from launch to the first answer of /v1/models

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> LlamaServer:
        """Launch it and wait until it lists its model; RuntimeError with its log if it dies."""
        command = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model), "--model_alias", MODEL_NAME,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", "8192", "--n_threads", "1", "--n_threads_batch", "1",
        ]  # fmt: skip
        if self.api_key:
            command += ["--api_key", self.api_key]
        began = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"}
            )
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        while time.perf_counter() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"llama_cpp.server exited with code {self.process.returncode}: "
                    f"{self.log_tail()}"
                )
            try:
                listed = httpx.get(f"{self.url}/v1/models", headers=headers, timeout=2)
            except httpx.HTTPError:
                listed = None
            if listed is not None and listed.status_code == 200:
                self.started_in = time.perf_counter() - began
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"llama_cpp.server did not answer in {timeout:.0f} s: {self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 12) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.strip().splitlines()[-lines:])
