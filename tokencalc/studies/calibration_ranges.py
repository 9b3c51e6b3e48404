"""The serving model's efficiency figures as the calibration fits them: their order, physical ranges (with their
sources), the figures held rather than fitted, and what a family whose runs cannot fix a figure takes from another
(:mod:`tokencalc.studies.calibration` fits them; its docstring says how)."""

from __future__ import annotations

FAMILIES = ("nvidia-blackwell", "nvidia-hopper", "amd-cdna4", "amd-cdna3")  # a family after the one it inherits from
PARAMETERS = ("memory", "gemm", "gemm_half_rows", "attention", "prefill", "layer_overhead_us",
              "collective_latency_us", "alltoall_latency_us", "scale_out_latency_us", "token_overhead_ns",
              "prefill_utilization", "fp8_block_kernels", "expert_skew")
# Bounds keep the figures physical (the data alone cannot tell compute from per-token overhead): GEMM kernels reach
# half of their peak share at 8-128 rows, at most the largest tensor-core tile's rows (Hopper's warpgroup MMA 64,
# Blackwell's 128, 256 over two SMs; AMD's MFMA 16-32): fitted up to 1,024, AMD's ran to 230-270 (Blackwell's
# 120-175), which made skinny GEMMs compute-bound where they read weights (gpt-oss-120b on MI300X, BF16 compute from
# FP4 weights, came out 78 % below InferenceMAX; at 128, 26 %). AMD's fit sits at 128: its DeepSeek-R1 steps want
# slower skinny GEMMs than its tiles explain, for reasons the model does not name. HBM 30-95 %. Prefill kernels
# (large GEMMs and FlashAttention) 40-80 % of peak: tuned FP8 GEMMs reach 68-78 % (deepgemm), FlashAttention-3 75 %
# of H100's BF16 peak (flashattention-3). A prefill pool's busy share 10-100 %: disaggregated deployments keep
# prefill headroom for the time to first token (DeepSeek's production prefill computed 4.0k tokens/s per H800, about
# 16 % of its FP8 peak: 73.7k input tokens/s per node, 56.3 % of them cache hits; deepseek-inference-system).
# Per-token routing (gating, permutation) 0-20 ns per token-to-expert assignment and layer: permuting a token's
# hidden state reads and writes 2 x 7,168 FP8 bytes, 1.8 ns at B200's 8 TB/s and 4.3 ns at H100's 3.35 TB/s, so
# 20 ns leaves 5-10x for gating and bookkeeping (fitted freely it ran to 40-400 ns, trading against attention and GEMM
# shares at about the same error: the data cannot tell them apart, the physics can).
# GEMMs over FP8 weights with a scale per 128 x 128 block (DeepSeek's checkpoints) 40-100 % of the shares of the
# others: the kernels load and apply the scales (DeepGEMM promotes its FP8 accumulations to CUDA cores every 128
# elements on Hopper; deepgemm); they never run faster than unscaled FP8.
# Collective latency: an all-reduce 2-60 us inside a scale-up domain; an all-to-all 2-150 us (NVLink all-to-all
# on GB200 NVL72: 19-45 us, trtllm-nvlink-alltoall; DeepEP's low-latency dispatch over RDMA 77 us at 8 ranks,
# deepep-v1); 10-300 us across the scale-out network (DeepEP on H800: 77-194 us, deepep-v1).
# The routed experts' popularity, as the coefficient of variation of their loads, 0-2: without load balancing the
# busiest rank of MoE models of 106B-671B carried 1.30-4.01 x the mean (ultraep: expert-parallel groups of dozens
# of GPUs inside rack-scale nodes), which at 64 ranks of 256 experts (the busiest rank's static excess
# s sqrt(2 G ln G / E), tokencalc.model.serving) is s = 0.2-2.1 (at 256 ranks it would be 0.1-0.9); load balancers
# (EPLB's redundant experts) bring it toward 0. Without it the fit wanted more time per token at wide expert
# parallelism than routing and all-to-all explain: SGLang's 32-48-GPU decode on GB200 NVL72 took 0.09-0.12 ms per
# request per GPU more for each added request, twice the model's.
LOWER = (0.3, 0.2, 8.0, 0.05, 0.4, 1.0, 2.0, 2.0, 10.0, 0.0, 0.1, 0.4, 0.0)
UPPER = (0.95, 0.9, 128.0, 0.9, 0.8, 150.0, 60.0, 150.0, 300.0, 20.0, 1.0, 1.0, 2.0)
START = (0.5, 0.7, 64.0, 0.3, 0.3, 15.0, 15.0, 30.0, 60.0, 20.0, 0.7, 1.0, 0.5)
# Held at a sourced value, the same for every family, not fitted: fitted freely, the GEMM share ran to its
# bounds (0.2 for Hopper and AMD, 0.9 for Blackwell) with the same in-sample error, because decode steps
# rarely reach the compute roof. 0.7 = what tuned FP8 GEMMs reach: DeepGEMM 1,350+ TFLOPS (2025-02) up to
# 1,550 TFLOPS (2025-04) of H800's 1,979 dense FP8 (0.68-0.78; deepgemm).
FIXED = {"gemm": 0.7}
FREE = tuple(i for i, name in enumerate(PARAMETERS) if name not in FIXED)
# A family whose data cannot fix some figures takes them from the family it inherits from; it fits the others.
# Hopper's runs (H100, DeepSeek-R1 at FP8: 16 GPUs or more, so every replica spans nodes) never show a collective
# inside one node, and their fixed time per layer trades against the cross-node collective latency at the same
# error (fitted freely, 19 us and 75 us; given Blackwell's time per layer of that fit, 72 us, 55 us at 2 % more
# cost), while an H200 node serves DeepSeek-R1 on 8 GPUs, where only the fixed time and the collectives inside a
# node (all-reduce and all-to-all) apply: they are Blackwell's (the same TensorRT-LLM, SGLang and Dynamo stacks,
# NVLink inside a node); so is the experts' skew (DeepSeek-R1's routing and the same stacks' load balancing, not
# the silicon's).
# CDNA 3's runs (MI300X: one 8-GPU node, aggregated, FP8, no MTP) say nothing of collectives, disaggregated
# prefill pools or routing at wide expert parallelism: those are CDNA 4's; nor of the fixed time per layer apart
# from the all-reduces: a tensor-parallel step pays both per layer, and only their sum shows (CDNA 4's runs split it
# by their expert-parallel ones), so CDNA 3 takes both (fitting the time per layer against CDNA 4's all-reduce, it
# ran to its 150 us bound on MI300X's 2026-02 stack, and MI325X's later runs and gpt-oss-120b on MI300X came out
# 37 % and 75 % below measured, against +2 % and -33 % on CDNA 4's pair; 2026-11-29 fits, docs/validation.md).
# Held at 1 by a family whose runs are all FP8 (H100, MI300X), where a share of block-scaled FP8 GEMMs cannot be
# told from the HBM share; Hopper's block-scaled FP8 kernels are the ones DeepSeek wrote for it (DeepGEMM, deepgemm).
# Hopper's prefill share is held at the large-GEMM share (gemm): its runs are all disaggregated, where only prefill x
# prefill_utilization shows (the pool's throughput), and the pool's busy share takes the rest (fitted freely the
# split drifted from 0.58 x 0.19 to 0.40 x 0.29 between fits of the same product, and H200's MLPerf Llama 2 70B
# offline, an aggregated prefill at the share, from -17 % to -34 %).
HELD = {"nvidia-hopper": {"fp8_block_kernels": 1.0, "prefill": FIXED["gemm"]}, "amd-cdna3": {"fp8_block_kernels": 1.0}}
INHERITS = {
    "nvidia-hopper": ("nvidia-blackwell", ("memory", "gemm_half_rows", "attention", "prefill", "scale_out_latency_us",
                                           "token_overhead_ns", "prefill_utilization")),
    "amd-cdna3": ("amd-cdna4", ("memory", "gemm_half_rows", "attention", "prefill")),
}
NETWORK = 0.7  # achieved / peak link bandwidth in collectives: not identifiable from these data, held fixed
