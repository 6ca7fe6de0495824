FROM alpine AS my_stage.v1
# check=error=true
FROM My_Stage.V1 AS b1
