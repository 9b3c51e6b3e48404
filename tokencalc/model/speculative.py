"""Speculative decoding's tokens per step: multi-token prediction (MTP) drafts d tokens, each accepted with
probability a given the previous one was (a chain), and a serving stack realizes a share of that gain.

References: Leviathan et al., "Fast Inference from Transformers via Speculative Decoding" (ICML 2023; expected
tokens per step, eq. 1); DeepSeek-AI, "DeepSeek-V3 Technical Report" (2024; the MTP module and its acceptance);
SemiAnalysis InferenceX (engines implement drafting and acceptance differently).

Units: tokens per step and shares [1]; plain floats and numpy arrays.
"""

from __future__ import annotations

import numpy as np

__all__ = ["tokens_per_step", "realized_tokens_per_step"]


def tokens_per_step(draft_tokens, acceptance):
    """Expected tokens per decode step per request [1] = 1 + a + a^2 + ... + a^d.

    ``draft_tokens`` d [1] drafted by multi-token prediction, each accepted with probability
    ``acceptance`` a [1] given the previous one was (Leviathan et al. 2023, eq. 1).
    """
    if np.ndim(acceptance) == 0 and np.ndim(draft_tokens) == 0:  # one pair: no arrays (the common case)
        a, d = float(acceptance), float(draft_tokens)
        return d + 1 if abs(a - 1.0) <= 1e-8 + 1e-5 else (1 - a ** (d + 1)) / (1 - a)  # as np.isclose
    a = np.asarray(acceptance, dtype=float)
    d = np.asarray(draft_tokens, dtype=float)
    out = np.where(np.isclose(a, 1.0), d + 1, (1 - a ** (d + 1)) / np.where(np.isclose(a, 1.0), 1.0, 1 - a))
    return out if out.ndim else float(out)


def realized_tokens_per_step(draft_tokens, acceptance, gain=1.0):
    """Tokens per decode step a serving stack realizes [1] = min(1 + g (tau - 1), d + 1), tau = :func:`tokens_per_step`.

    ``gain`` g [1]: the share of the drafted tokens' gain the stack realizes; engines implement drafting
    and acceptance differently (InferenceX's note on speculative decoding), so the same model's MTP module
    gains more on some stacks than on others. g = 1 is the acceptance as given.
    """
    # a step verifies d + 1 tokens a request: no stack realizes more
    out = np.minimum(1.0 + gain * (tokens_per_step(draft_tokens, acceptance) - 1.0), np.asarray(draft_tokens) + 1.0)
    return out if np.ndim(out) else float(out)  # one pair: a float, as tokens_per_step gives
