"""Application status: providers push stages over HTTP, or an operator imports a CSV."""
