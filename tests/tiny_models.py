"""Small but real CTranslate2 translation models, generated offline for the tests and bench/.

Adapted from shared/tools/make_tiny_models.py.  Nothing is downloaded; it needs
ctranslate2, sentencepiece and numpy (and spaCy, only to embed a blank sentence
splitter in .argosmodel packages so argostranslate runs offline).

Weights:
  copy   : hand-set weights that make the model an exact echo translator (output
           pieces == input pieces, then </s>), so tests can assert exact drafts and
           benchmarks get realistic output lengths.
  random : seeded random weights: deterministic gibberish, usually as long as
           max_decoding_length allows; a real engine that loses every placeholder.
Flavours:
  argos  : plain SentencePiece vocabulary, add_source_eos=True (the echo model needs
           </s> on the source; argos never appends it); wrapped as .argosmodel.
  nllb   : vocabulary with NLLB language tokens as user-defined symbols,
           decoder_start_token="</s>"; callers pass [src_lang] + pieces + ["</s>"]
           and target_prefix=[[tgt_lang]].
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

NLLB_LANG_TOKENS = ["eng_Latn", "pbt_Arab", "prs_Arab", "urd_Arab", "pes_Arab"]

#: English text to train the SentencePiece model (policy-brief style).
CORPUS = """\
The ministry will publish a new policy brief on water management next month.
Local councils should coordinate their budgets with the provincial government.
Access to primary health care remains limited in rural districts.
The report recommends three measures to improve school enrolment for girls.
Donors have pledged additional funding for drought resilience programmes.
Farmers need reliable information about seed prices and weather forecasts.
The committee reviewed the draft law on public procurement and transparency.
Women's participation in decision-making has increased since the last election.
Independent monitoring is essential to prevent corruption in aid delivery.
The survey covered 1,200 households in five provinces between March and June.
Hospitals reported shortages of medicines, electricity and trained staff.
The university will train teachers in mathematics, science and languages.
Police and courts must protect the rights of returning refugees.
Road construction has reduced travel time between the capital and border towns.
Unemployment among young people is the most urgent economic challenge.
The government should simplify the registration of small businesses.
Data on maternal mortality are incomplete and often out of date.
Community elders play an important role in resolving local disputes.
Climate change increases the risk of floods, landslides and crop failure.
This brief summarises the evidence and proposes practical next steps.
Recommendation 1: Expand mobile clinics to underserved areas by 2026.
Recommendation 2: Publish quarterly budget execution reports online.
The population census was last conducted many years ago.
Mobile phone coverage now reaches most urban and many rural areas.
Microfinance can help households invest in livestock and small workshops.
Education, health, security and justice are the four priority sectors.
Stakeholders agreed to meet again in Kabul, Peshawar and Islamabad.
The exchange rate affected the price of wheat, flour, fuel and cooking oil.
Clean drinking water reduces child illness and improves school attendance.
Parliament approved the national budget after a long debate.
"""

#: What a large multilingual vocabulary (NLLB's) has seen beyond the corpus: every
#: ASCII letter, digit and sign, and Arabic-script text with its own digits and marks.
WIDE_ALPHABET = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0 1 2 3 4 5 6 7 8 9\n"
    "! \" # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ _ ` { | } ~\n"
    "پاکستان او افغانستان اوږده پوله لري. پاکستان اور افغانستان کی سرحد طویل ہے۔\n"
    "پاکستان و افغانستان مرز طولانی دارند، ۱۲۳۴۵۶۷۸۹۰ ٠١٢٣٤٥٦٧٨٩ ؟ ، ؛ ۔\n"
) * 3


# --------------------------------------------------------------------------- SentencePiece


def train_sentencepiece(
    out_prefix: str,
    vocab_size: int = 600,
    user_defined_symbols: Sequence[str] = (),
    text: str = CORPUS,
    byte_fallback: bool = True,
) -> str:
    """Train a small unigram SentencePiece model; returns the .model path.

    byte_fallback=True lets any Unicode (Arabic-script glossary terms) round-trip as
    <0x..> pieces; without it, characters the corpus never showed become <unk>, as in
    NLLB's vocabulary.
    """
    import sentencepiece as spm

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
        txt = f.name
    try:
        spm.SentencePieceTrainer.train(
            input=txt,
            model_prefix=out_prefix,
            vocab_size=vocab_size,
            model_type="unigram",
            character_coverage=1.0,
            byte_fallback=byte_fallback,
            hard_vocab_limit=False,  # tiny corpus: allow fewer pieces than requested
            user_defined_symbols=list(user_defined_symbols),
            unk_id=0, bos_id=1, eos_id=2, pad_id=-1,  # <unk>=0 <s>=1 </s>=2 as CT2 expects
            minloglevel=2,
        )  # fmt: skip
    finally:
        os.unlink(txt)
    return out_prefix + ".model"


def sp_vocab(sp_model_path: str) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=sp_model_path)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# --------------------------------------------------------------------------- CTranslate2 spec


def build_transformer_spec(
    vocab: list[str],
    layers: tuple[int, int] = (2, 2),
    d_model: int = 64,
    ffn: int = 128,
    heads: int = 4,
    mode: str = "random",
    seed: int = 0,
    max_positions: int = 1024,
    config: dict[str, Any] | None = None,
) -> Any:
    """A validated ctranslate2.specs.TransformerSpec with a shared vocabulary."""
    from ctranslate2.specs import transformer_spec

    assert d_model % heads == 0
    n_vocab, dim = len(vocab), d_model
    spec = transformer_spec.TransformerSpec.from_config(layers, heads)  # pre-norm, ReLU
    rng = np.random.default_rng(seed)
    if mode == "random":
        _random_weights(spec, n_vocab, dim, ffn, rng)
    elif mode == "copy":
        _copy_weights(spec, n_vocab, dim, heads, dim // heads, ffn, rng, max_positions)
    else:
        raise ValueError(mode)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    for key, value in (config or {}).items():
        setattr(spec.config, key, value)
    spec.validate()
    return spec


def _random_weights(spec: Any, n_vocab: int, dim: int, ffn: int, rng: np.random.Generator) -> None:
    f32 = np.float32

    def weight(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(f32)

    def linear(layer: Any, rows: int, cols: int) -> None:
        layer.weight = weight(rows, cols)
        layer.bias = np.zeros((rows,), f32)

    def norm(layer: Any) -> None:
        layer.gamma = np.ones((dim,), f32)
        layer.beta = np.zeros((dim,), f32)

    spec.encoder.embeddings[0].weight = weight(n_vocab, dim)
    spec.decoder.embeddings.weight = weight(n_vocab, dim)
    # position_encodings left unset: CTranslate2 computes sinusoidal ones.
    for stack in (spec.encoder, spec.decoder):
        norm(stack.layer_norm)
        for layer in stack.layer:
            linear(layer.self_attention.linear[0], 3 * dim, dim)
            linear(layer.self_attention.linear[1], dim, dim)
            norm(layer.self_attention.layer_norm)
            if hasattr(layer, "attention"):
                linear(layer.attention.linear[0], dim, dim)
                linear(layer.attention.linear[1], 2 * dim, dim)
                linear(layer.attention.linear[2], dim, dim)
                norm(layer.attention.layer_norm)
            norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, ffn, dim)
            linear(layer.ffn.linear_1, dim, ffn)
    linear(spec.decoder.projection, n_vocab, dim)


def _copy_weights(
    spec: Any,
    n_vocab: int,
    dim: int,
    heads: int,
    head_dim: int,
    ffn: int,
    rng: np.random.Generator,
    max_positions: int,
) -> None:
    """Hand-set weights: decoder step t copies source token t.

    Residual stream: dims [0, P) hold a position code (sinusoids, which decoder
    cross-attention uses to find source position t at step t), dims [P, D) a token
    code that the output projection reads back.  Both are zero-mean, so LayerNorm
    only rescales them.
    """
    f32 = np.float32
    n_freq = max(2, min(head_dim // 2, dim // 8))  # frequencies in the position code
    n_pos = 4 * n_freq  # [sin, cos, -sin, -cos]
    n_tok = dim - n_pos
    assert n_tok >= 8, "d_model too small for copy mode"

    # Frequencies spread geometrically so that every offset is distinguishable.
    deltas = np.arange(1, max_positions)
    best: tuple[float, np.ndarray] | None = None
    for high in (1.0, 1.5, 2.0, 2.5, 3.0):
        for low_mult in (1, 2):
            w = np.exp(
                np.linspace(np.log(high), np.log(2 * np.pi / (low_mult * max_positions)), n_freq)
            )
            margin = n_freq - np.cos(deltas[:, None] * w[None, :]).sum(1).max()
            if best is None or margin > best[0]:
                best = (margin, w)
    assert best is not None
    gap, omega = best
    t = np.arange(max_positions)[:, None] * omega[None, :]
    pe = np.zeros((max_positions, dim), f32)
    pe[:, 0:n_freq], pe[:, n_freq : 2 * n_freq] = np.sin(t), np.cos(t)
    pe[:, 2 * n_freq : 3 * n_freq], pe[:, 3 * n_freq : 4 * n_freq] = -np.sin(t), -np.cos(t)

    # Token code: random zero-mean unit vectors (near-orthogonal in high dimension).
    codes = rng.standard_normal((n_vocab, n_tok))
    codes -= codes.mean(1, keepdims=True)
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    codes = codes.astype(f32)

    beta = np.sqrt(2 * n_freq)  # token part gets the norm of the position part
    sigma = np.sqrt((2 * n_freq + 2 * n_freq) / dim)  # std of encoder states
    sigma_dec0 = np.sqrt(2 * n_freq / dim)  # std of a decoder state before cross-attention

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, f32)

    def small(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) * 0.02).astype(f32)

    def norm(layer: Any) -> None:
        layer.gamma, layer.beta = np.ones(dim, f32), zeros(dim)

    def linear(layer: Any, weight: np.ndarray) -> None:
        layer.weight = weight.astype(f32)
        layer.bias = zeros(weight.shape[0])

    spec.encoder.scale_embeddings = False
    spec.decoder.scale_embeddings = False
    src_emb = zeros(n_vocab, dim)
    src_emb[:, n_pos:] = beta * codes
    spec.encoder.embeddings[0].weight = src_emb
    spec.decoder.embeddings.weight = zeros(n_vocab, dim)  # the decoder sees only its position
    spec.encoder.position_encodings.encodings = pe
    spec.decoder.position_encodings.encodings = pe

    # Encoder: every sublayer writes 0, so the residual passes through.
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        linear(layer.self_attention.linear[0], small(3 * dim, dim))
        linear(layer.self_attention.linear[1], zeros(dim, dim))
        norm(layer.self_attention.layer_norm)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, small(ffn, dim))
        linear(layer.ffn.linear_1, zeros(dim, ffn))

    # Decoder layer 0 cross-attention copies; all heads share the position query/key,
    # values carry the token code.
    target_logit_gap = 25.0
    a = np.sqrt(target_logit_gap * sigma_dec0 * sigma * np.sqrt(head_dim) / gap)
    wq, wk, wv, wo = zeros(dim, dim), zeros(dim, dim), zeros(dim, dim), zeros(dim, dim)
    for h in range(heads):
        for j in range(2 * n_freq):  # sin and cos dims of the position code
            wq[h * head_dim + j, j] = a
            wk[h * head_dim + j, j] = a
    for j in range(n_tok):
        wv[j, n_pos + j] = 1.0
        wo[n_pos + j, j] = sigma
    norm(spec.decoder.layer_norm)
    for i, layer in enumerate(spec.decoder.layer):
        linear(layer.self_attention.linear[0], small(3 * dim, dim))
        linear(layer.self_attention.linear[1], zeros(dim, dim))
        norm(layer.self_attention.layer_norm)
        if i == 0:
            linear(layer.attention.linear[0], wq)
            linear(layer.attention.linear[1], np.concatenate([wk, wv]))
            linear(layer.attention.linear[2], wo)
        else:
            linear(layer.attention.linear[0], small(dim, dim))
            linear(layer.attention.linear[1], small(2 * dim, dim))
            linear(layer.attention.linear[2], zeros(dim, dim))
        norm(layer.attention.layer_norm)
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, small(ffn, dim))
        linear(layer.ffn.linear_1, zeros(dim, ffn))

    # Output projection: logit_v = lam * <code_v, token part>.
    max_cross = -1.0  # largest dot product between two different codes
    for i in range(0, n_vocab, 2048):  # chunked: V x V would be 4 GB for V=32k
        c = codes[i : i + 2048] @ codes.T
        c[np.arange(c.shape[0]), np.arange(i, i + c.shape[0])] = -1.0
        max_cross = max(max_cross, float(c.max()))
    lam = 30.0 / max(1.0 - max_cross, 1e-3) / np.sqrt(dim / 2)
    proj = zeros(n_vocab, dim)
    proj[:, n_pos:] = lam * codes
    linear(spec.decoder.projection, proj)


def save_ct2_model(spec: Any, out_dir: str, quantization: str | None = None) -> str:
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    spec.optimize(quantization=quantization)
    spec.save(out_dir)
    return out_dir


# --------------------------------------------------------------------------- Argos packaging


def make_blank_spacy(out_dir: str, lang: str = "en") -> str | None:
    """A blank spaCy pipeline; argostranslate adds a rule-based sentencizer to it."""
    try:
        import spacy
    except ImportError:
        return None
    spacy.blank(lang).to_disk(out_dir)
    return out_dir


def make_argos_package(
    out_file: str,
    model_dir: str,
    sp_model: str,
    from_code: str = "en",
    to_code: str = "ur",
    from_name: str = "English",
    to_name: str = "Urdu",
    package_version: str = "0.0.1",
    with_spacy: bool = True,
    target_prefix: str = "",
) -> str:
    """Zip a CT2 model and its SentencePiece model into an installable .argosmodel."""
    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / top
        root.mkdir()
        shutil.copytree(model_dir, root / "model")
        shutil.copy(sp_model, root / "sentencepiece.model")
        meta: dict[str, Any] = {
            "package_version": package_version,
            "argos_version": "1.11.0",
            "from_code": from_code,
            "from_name": from_name,
            "to_code": to_code,
            "to_name": to_name,
            "type": "translate",
            "links": [],
        }
        if target_prefix:
            meta["target_prefix"] = target_prefix
        (root / "metadata.json").write_text(json.dumps(meta, indent=2))
        (root / "README.md").write_text("Synthetic test package (not a real translator).\n")
        if with_spacy:
            make_blank_spacy(str(root / "spacy"), from_code)
        with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(root.rglob("*")):
                z.write(p, p.relative_to(tmp).as_posix())
    return out_file


# --------------------------------------------------------------------------- building


def build(
    out: str | Path,
    flavour: str,
    mode: str = "copy",
    layers: tuple[int, int] = (2, 2),
    d_model: int = 64,
    ffn: int = 128,
    heads: int = 4,
    vocab_size: int = 600,
    quantization: str | None = None,
    seed: int = 0,
    to_code: str = "ur",
    to_name: str = "Urdu",
    with_spacy: bool = True,
    package_version: str = "0.0.1",
) -> dict[str, Any]:
    """One model: its SentencePiece model, CT2 directory and (argos) .argosmodel file."""
    started = time.time()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"{flavour}-{mode}-{to_code}" if flavour == "argos" else f"{flavour}-{mode}"
    symbols = NLLB_LANG_TOKENS if flavour == "nllb" else []
    sp_path = train_sentencepiece(
        str(out / f"{name}.sp"), vocab_size=min(vocab_size, 800), user_defined_symbols=symbols
    )
    vocab = sp_vocab(sp_path)
    if vocab_size > len(vocab):  # pad to the requested size (32k for realistic compute)
        vocab = vocab + [f"<extra_{i}>" for i in range(vocab_size - len(vocab))]
    if flavour == "argos":
        config: dict[str, Any] = {"add_source_eos": mode == "copy"}
    else:
        config = {"decoder_start_token": "</s>", "add_source_eos": False}
    spec = build_transformer_spec(vocab, layers, d_model, ffn, heads, mode, seed, config=config)
    model_dir = save_ct2_model(spec, str(out / f"{name}.ct2"), quantization)
    info: dict[str, Any] = {"name": name, "sp_model": sp_path, "model_dir": model_dir}
    if flavour == "argos":
        info["argosmodel"] = make_argos_package(
            str(out / f"{name}.argosmodel"), model_dir, sp_path, to_code=to_code,
            to_name=to_name, with_spacy=with_spacy, package_version=package_version,
        )  # fmt: skip
    info["seconds"] = round(time.time() - started, 2)
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--flavour", choices=["argos", "nllb", "both"], default="both")
    parser.add_argument("--mode", choices=["copy", "random"], default="copy")
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--ffn", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--vocab-size", type=int, default=600)
    parser.add_argument("--quantization", default=None, help="e.g. int8, as argos packages")
    parser.add_argument("--to-code", default="ur")
    parser.add_argument("--to-name", default="Urdu")
    args = parser.parse_args()
    for flavour in ["argos", "nllb"] if args.flavour == "both" else [args.flavour]:
        info = build(
            args.out, flavour, args.mode, (args.layers, args.layers), args.d_model, args.ffn,
            args.heads, args.vocab_size, args.quantization, to_code=args.to_code,
            to_name=args.to_name,
        )  # fmt: skip
        print(json.dumps(info, ensure_ascii=False))


if __name__ == "__main__":
    main()


# --------------------------------------------------------------------------- for the tests


@dataclass(frozen=True)
class TinyModels:
    """The generated models the tests share (built once per test session)."""

    argos_ur: Path  # .argosmodel, echo, en→ur
    argos_fa: Path  # .argosmodel, echo, en→fa (Persian, for Dari drafts)
    argos_ur_random: Path  # .argosmodel, random weights, en→ur 0.0.2: loses every placeholder
    nllb: Path  # converted NLLB-style model directory with sentencepiece.bpe.model inside


_BUILT: dict[Path, TinyModels] = {}


def tiny_models(root: Path) -> TinyModels:
    """Generate (once per root) the models the engine and draft tests use."""
    if root not in _BUILT:
        ur = build(root / "ur", "argos")
        fa = build(root / "fa", "argos", to_code="fa", to_name="Persian")
        random = build(root / "random", "argos", mode="random", package_version="0.0.2")
        nllb = build(root / "nllb", "nllb")
        model_dir = Path(nllb["model_dir"])
        shutil.copy(nllb["sp_model"], model_dir / "sentencepiece.bpe.model")
        _BUILT[root] = TinyModels(
            Path(ur["argosmodel"]), Path(fa["argosmodel"]), Path(random["argosmodel"]), model_dir
        )
    return _BUILT[root]


def engine_env(home: Path) -> dict[str, str]:
    """Environment that keeps model installs inside `home`, for l10n and argostranslate alike.

    argostranslate reads these once, when imported, and with ARGOS_CHUNK_TYPE=SPACY
    it splits sentences with the blank spaCy pipeline inside our packages; the
    empty spaCy cache folder stops it from downloading a multilingual one.
    """
    (home / "cache" / "argos-translate" / "spacy" / "senter" / "model").mkdir(
        parents=True, exist_ok=True
    )
    return {
        "ARGOS_PACKAGES_DIR": str(home / "argos-packages"),
        "L10N_DATA_DIR": str(home / "l10n"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_CHUNK_TYPE": "SPACY",
    }
