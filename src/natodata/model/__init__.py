"""The model: the Data Package descriptor and its Table Schemas, read safely. No pandas."""
