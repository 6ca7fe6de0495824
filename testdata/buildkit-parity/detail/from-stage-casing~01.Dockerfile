FROM alpine AS my_stage.v1
# check=skip=InvalidDefaultArgInFrom
FROM My_Stage.V1 AS b1
